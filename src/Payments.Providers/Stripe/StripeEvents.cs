using System.Text.Json;
using Payments.Core.Providers;

namespace Payments.Providers.Stripe;

/// <summary>
/// A verified event body into one <see cref="ProviderEvent"/>. Which of our payments it concerns is
/// carried three ways, and the settler tries them in order: our id (<c>metadata[payment_id]</c>,
/// or the session's <c>client_reference_id</c>), the provider payment id (session, or intent in
/// embedded mode), and the PaymentIntent id as secondary reference (all that
/// <c>payment_intent.*</c> and <c>charge.*</c> events have in hosted mode).
/// </summary>
public static class StripeEvents
{
    /// <summary>The event, or null with <paramref name="why"/> when the body is not a Stripe event.</summary>
    public static ProviderEvent? Parse(ReadOnlySpan<byte> body, out string? why)
    {
        why = null;
        EventEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<EventEnvelope>(body, StripeJson.Options);
        }
        catch (JsonException e)
        {
            why = $"Body is not JSON: {e.Message}";
            return null;
        }
        if (envelope is not { Id.Length: > 0, Type.Length: > 0, Data.Object.ValueKind: JsonValueKind.Object })
        {
            why = "Body is not a Stripe event: 'id', 'type' and 'data.object' are required.";
            return null;
        }

        if (envelope.Data.Object.TryGetProperty("currency", out var currency) && currency.ValueKind != JsonValueKind.Null
            && (currency.ValueKind != JsonValueKind.String || StripeAmounts.CurrencyOf(currency.GetString()) is null))
        {
            why = $"'{envelope.Type}' event has a currency that is not a lower-case ISO 4217 code as Stripe writes them: {currency.GetRawText()}";
            return null;
        }

        try
        {
            return envelope.Type switch
            {
                var t when t.StartsWith("checkout.session.", StringComparison.Ordinal) => FromSession(envelope, Read<EventSession>(envelope)),
                var t when t.StartsWith("payment_intent.", StringComparison.Ordinal) => FromIntent(envelope, Read<EventIntent>(envelope)),
                var t when t.StartsWith("charge.", StringComparison.Ordinal) => FromCharge(envelope, Read<EventCharge>(envelope)),
                StripeConnectEvents.AccountUpdated => StripeConnectEvents.FromAccount(envelope, Read<EventAccount>(envelope)), // StripeConnectEvents.cs
                _ => Other(envelope),
            };
        }
        catch (JsonException e)
        {
            why = $"'{envelope.Type}' event has an unexpected data.object: {e.Message}";
            return null;
        }
    }

    private static T Read<T>(EventEnvelope e) where T : class =>
        StripeJson.Read<T>(e.Data!.Object) ?? throw new JsonException("data.object is null");

    private static ProviderEvent FromSession(EventEnvelope e, EventSession session)
    {
        // A subscription's checkout is about the subscription it makes, not a payment of ours: its invoice becomes one.
        if (session.Mode == "subscription")
            return new ProviderEvent(e.Id!, e.Type!, ProviderEventKind.Informational)
                { RecordType = WebhookRecordType.Subscription, RecordId = session.Id, ProviderCustomerId = session.Customer };
        var kind = StripeMapper.EventKind(e.Type, session.PaymentStatus);
        return new ProviderEvent(e.Id!, e.Type!, kind,
            ProviderPaymentId: session.Id,
            PaymentId: OurId(session.Metadata) ?? session.ClientReferenceId,
            Amount: kind == ProviderEventKind.PaymentSucceeded ? Amount(session.AmountTotal, session.Currency, "amount_total") : null,
            ProviderReference: session.PaymentIntent,
            FailureReason: kind == ProviderEventKind.PaymentFailed ? "the asynchronous payment failed" : null);
    }

    private static ProviderEvent FromIntent(EventEnvelope e, EventIntent intent)
    {
        var kind = StripeMapper.EventKind(e.Type);
        return new ProviderEvent(e.Id!, e.Type!, kind,
            ProviderPaymentId: intent.Id,
            PaymentId: OurId(intent.Metadata),
            // amount_received is what was taken, which is what must equal our amount.
            Amount: kind == ProviderEventKind.PaymentSucceeded ? Amount(intent.AmountReceived, intent.Currency, "amount_received") : null,
            ProviderReference: intent.Id,
            FailureReason: kind switch
            {
                ProviderEventKind.PaymentFailed => intent.LastPaymentError is { } error
                    ? StripeMapper.FailureReason(error.Type, error.Code, error.DeclineCode, error.Message)
                    : "payment failed",
                ProviderEventKind.PaymentCanceled => intent.CancellationReason is { } reason ? $"canceled: {reason}" : null,
                _ => null,
            });
    }

    private static ProviderEvent FromCharge(EventEnvelope e, EventCharge charge)
    {
        var kind = StripeMapper.EventKind(e.Type);
        var refunded = kind == ProviderEventKind.Refunded;
        return new ProviderEvent(e.Id!, e.Type!, kind,
            ProviderPaymentId: charge.PaymentIntent ?? charge.Id,
            PaymentId: OurId(charge.Metadata),
            // What the charge took: a refund proves the payment, even when its success event is late.
            Amount: refunded ? Amount(charge.AmountCaptured ?? charge.Amount, charge.Currency, "amount_captured") : null,
            RefundedTotal: refunded ? Amount(charge.AmountRefunded, charge.Currency, "amount_refunded") : null,
            ProviderReference: charge.PaymentIntent);
    }

    /// <summary>
    /// Types we do not act on here. Those about another record (a subscription, an invoice, a connected
    /// account …) name it, so intake dispatches them to that record's handler (or records them as
    /// unhandled); the rest are recorded against their payment when the object says which.
    /// </summary>
    private static ProviderEvent Other(EventEnvelope e)
    {
        var obj = e.Data!.Object;
        var id = obj.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        string? ours = null;
        if (obj.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object &&
            metadata.TryGetProperty("payment_id", out var paymentId) && paymentId.ValueKind == JsonValueKind.String)
            ours = paymentId.GetString();
        if (RecordTypeOf(e.Type!) is { } record)
            return new ProviderEvent(e.Id!, e.Type!, ProviderEventKind.Informational)
                { RecordType = record, RecordId = id, ProviderCustomerId = CustomerOf(obj, record, id) };
        return new ProviderEvent(e.Id!, e.Type!, ProviderEventKind.Informational, ProviderPaymentId: id, PaymentId: ours);
    }

    /// <summary>
    /// The customer a subscription, invoice or tax id belongs to (its <c>customer</c>), or the customer itself: billing
    /// events are applied one customer at a time.
    /// </summary>
    private static string? CustomerOf(JsonElement obj, WebhookRecordType record, string? id)
    {
        if (obj.TryGetProperty("customer", out var customer) && customer.ValueKind == JsonValueKind.String) return customer.GetString();
        return record == WebhookRecordType.Customer && obj.TryGetProperty("object", out var kind) && kind.ValueKind == JsonValueKind.String &&
               kind.GetString() == "customer" ? id : null;
    }

    /// <summary>The record a Stripe event type is about, when it is not a payment (null: a payment's event).</summary>
    internal static WebhookRecordType? RecordTypeOf(string type) => type switch
    {
        _ when type.StartsWith("customer.subscription.", StringComparison.Ordinal) => WebhookRecordType.Subscription,
        _ when type.StartsWith("invoice.", StringComparison.Ordinal) || type.StartsWith("invoice_payment.", StringComparison.Ordinal) => WebhookRecordType.Invoice,
        _ when type.StartsWith("customer.", StringComparison.Ordinal) => WebhookRecordType.Customer,
        _ when type.StartsWith("account.", StringComparison.Ordinal) => WebhookRecordType.ConnectedAccount,
        _ when type.StartsWith("refund.", StringComparison.Ordinal) => WebhookRecordType.Refund,
        _ when type.StartsWith("product.", StringComparison.Ordinal) || type.StartsWith("price.", StringComparison.Ordinal) => WebhookRecordType.Other,
        _ => null,
    };

    /// <summary>
    /// An amount the event states, in our units; null when it states none. One it states but that cannot
    /// be read (no currency beside it, or not exact in Stripe's unit) makes the event malformed: taken as
    /// "no amount", a signed success would have flagged the payment as a conflict on a sender's bug.
    /// </summary>
    /// <summary>
    /// The amount of a success. Stripe always writes it on a paid session (<c>amount_total</c>) and a succeeded intent
    /// (<c>amount_received</c>), so a success without one is a malformed event (400), not a conflict with our amount that
    /// would flag the payment on a sender's bug (found by the webhook fuzzer: a signed session with <c>"amount_total":null</c>).
    /// </summary>
    private static Core.Money.Money Amount(long? amount, string? currency, string field) =>
        amount is null ? throw new JsonException($"A successful payment's {field} is missing.")
        : StripeAmounts.FromStripe(amount, currency)
          ?? throw new JsonException($"{field} {amount} with currency {currency ?? "null"} is not an amount Stripe writes.");

    private static string? OurId(Dictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue("payment_id", out var id) && !string.IsNullOrEmpty(id) ? id : null;
}
