using System.Buffers;
using System.Text;
using System.Text.Json;
using Payments.Core.Providers;

namespace Payments.Providers.PayPal;

/// <summary>
/// What an unsigned PayPal delivery (no <c>PAYPAL_WEBHOOK_ID</c>) is recorded as. Its sender is unknown,
/// so nothing it wrote may decide anything, least of all the id we de-duplicate on: a sender who picks
/// that id can claim the id of PayPal's real delivery in advance, and the real one is then a
/// "duplicate". The key and the stored body are therefore made from what PayPal answered when asked
/// about the resource: its id, status, last change and amounts. Two deliveries about the same state
/// of the same resource are one event whoever sent them; a new state is a new event.
/// </summary>
public static class PayPalRefetchRecord
{
    /// <summary>Keys start with this, so they can never collide with PayPal's own <c>WH-…</c> event ids.</summary>
    public const string KeyPrefix = "paypal-refetch";

    /// <summary>Most a stored body may take; PayPal's resources are 1–4 KB, so this only bounds the unexpected.</summary>
    public const int MaxBytes = 16 * 1024;

    /// <summary>Longest part of a key; PayPal's ids are at most 36 characters and its statuses shorter.</summary>
    private const int MaxPart = 40;

    public static string OrderKey(string orderId, PayPalOrder order, ProviderPayment payment) =>
        Key("order", orderId, order.Status, order.UpdateTime, payment.ProviderReference,
            order.PurchaseUnits?.FirstOrDefault()?.Payments?.Captures?.LastOrDefault()?.Status,
            Amount(payment.Amount), payment.RefundedTotal is { } refunded ? "refunded" + Amount(refunded) : null);

    public static string CaptureKey(string captureId, PayPalCapture capture) =>
        Key("capture", captureId, capture.Status, capture.UpdateTime, Amount(PayPalAmounts.FromPayPal(capture.Amount)));

    public static string RefundKey(string refundId, PayPalRefund refund, Core.Money.Money? total) =>
        Key("refund", refundId, refund.Status, Amount(PayPalAmounts.FromPayPal(refund.Amount)), total is { } t ? "total" + Amount(t) : null);

    /// <summary>
    /// The body to store: PayPal's answer about the resource (as read, with PayPal's ids), and what the
    /// delivery claimed to be, marked unverified. Never more than <see cref="MaxBytes"/>.
    /// </summary>
    public static string Body<T>(PayPalWebhookEvent delivery, string resourceType, string resourceId, T fetched) where T : class
    {
        var full = Write(delivery, resourceType, json => JsonSerializer.Serialize(json, fetched, PayPalJson.Options));
        if (full.Length <= MaxBytes) return full;
        // Only PayPal could make it this large; keep which resource it was, not all of it.
        return Write(delivery, resourceType, json =>
        {
            json.WriteStartObject();
            json.WriteString("id", resourceId);
            json.WriteBoolean("truncated", true);
            json.WriteEndObject();
        });
    }

    private static string Write(PayPalWebhookEvent delivery, string resourceType, Action<Utf8JsonWriter> resource)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("verification", PayPalWebhookEvents.RefetchMethod);
            json.WriteBoolean("signature_ok", false);
            json.WriteStartObject("unverified_delivery");
            // Shown so an operator can match PayPal's delivery log; kept only when they are plain ids.
            json.WriteString("id", Shown(delivery.Id));
            json.WriteString("event_type", Shown(delivery.EventType));
            json.WriteEndObject();
            json.WritePropertyName("fetched_" + resourceType);
            resource(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Shown(string? claimed) => WebhookEventRules.Id("id", claimed, required: true) is null ? claimed! : "(not shown: not a plain id)";

    private static string? Amount(Core.Money.Money? money) => money is { } m ? $"{m.Minor}{m.Currency.Code}" : null;

    private static string Key(params string?[] parts)
    {
        var key = new StringBuilder(KeyPrefix);
        foreach (var part in parts)
        {
            if (string.IsNullOrEmpty(part)) continue;
            key.Append(':');
            var kept = 0;
            // PayPal's values are trusted, but a key is an index entry: only plain characters, bounded.
            foreach (var c in part)
                if (kept < MaxPart && (char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
                {
                    key.Append(c);
                    kept++;
                }
        }
        return key.ToString();
    }
}
