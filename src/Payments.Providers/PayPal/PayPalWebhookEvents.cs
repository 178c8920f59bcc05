using System.Text.Json;
using Payments.Core.Providers;

namespace Payments.Providers.PayPal;

/// <summary>
/// PayPal deliveries as normalized events, two ways:
/// <list type="bullet">
/// <item><see cref="FromVerifiedAsync"/>: the signature held, so the body says what happened;</item>
/// <item><see cref="RefetchAsync"/>: no webhook id to verify with, so the body is only a hint of
/// which order, capture or refund to look at; what PayPal answers for it is what we apply.</item>
/// </list>
/// Our payment id travels as the purchase unit's custom_id (echoed on captures and refunds); the
/// capture id is the reference refunds and capture events carry.
/// </summary>
public sealed class PayPalWebhookEvents(PayPalClient client)
{
    public const string RefetchMethod = "refetch";

    /// <summary>The envelope, or null when the body is not a PayPal event (no id or no event_type).</summary>
    public static PayPalWebhookEvent? Envelope(ReadOnlySpan<byte> body) =>
        PayPalJson.Read<PayPalWebhookEvent>(body) is { Id.Length: > 0, EventType.Length: > 0 } e ? e : null;

    /// <summary>
    /// Why a verified event's money is malformed, or null: every <c>currency_code</c> in it must be an
    /// upper-case ISO 4217 code, as PayPal writes them ("eur" is not guessed to mean EUR), and every
    /// <c>value</c> beside one an exact decimal PayPal could have written ("19.00"; not "1e20", 19.0 or "19.001").
    /// Otherwise an amount nobody can read became "a success without an amount", and the payment a conflict.
    /// </summary>
    public static string? MoneyProblem(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object when element.TryGetProperty("currency_code", out var code) => AmountProblem(element, code)
            ?? element.EnumerateObject().Select(p => MoneyProblem(p.Value)).FirstOrDefault(problem => problem is not null),
        JsonValueKind.Object => element.EnumerateObject().Select(p => MoneyProblem(p.Value)).FirstOrDefault(problem => problem is not null),
        JsonValueKind.Array => element.EnumerateArray().Select(MoneyProblem).FirstOrDefault(problem => problem is not null),
        _ => null,
    };

    private static string? AmountProblem(JsonElement amount, JsonElement code)
    {
        if (code.ValueKind != JsonValueKind.String || !Core.Money.Currency.TryOfExactCode(code.GetString(), out _))
            return $"currency_code {code.GetRawText()} is not an upper-case ISO 4217 code.";
        if (!amount.TryGetProperty("value", out var value)) return null;
        return value.ValueKind == JsonValueKind.String && PayPalAmounts.FromPayPal(new PayPalAmount(code.GetString(), value.GetString())) is not null
            ? null
            : $"value {value.GetRawText()} is not an amount in {code.GetString()} as PayPal writes one.";
    }

    public async Task<ProviderEvent> FromVerifiedAsync(PayPalWebhookEvent e, CancellationToken ct)
    {
        var kind = PayPalMapper.EventKind(e.EventType);
        switch (kind)
        {
            case ProviderEventKind.CaptureRequired:
                var order = PayPalJson.Read<PayPalOrder>(e.Resource);
                var unit = order?.PurchaseUnits?.FirstOrDefault();
                return new ProviderEvent(e.Id!, e.EventType!, kind, ProviderPaymentId: order?.Id, PaymentId: unit?.CustomId ?? unit?.InvoiceId);

            case ProviderEventKind.Refunded:
                var refund = PayPalJson.Read<PayPalRefund>(e.Resource);
                var total = PayPalAmounts.FromPayPal(refund?.SellerPayableBreakdown?.TotalRefundedAmount);
                if (total is null && PayPalIds.IsResourceId(refund?.Id))
                    // Only the per-refund amount came along; settlement needs the cumulative total to stay idempotent.
                    total = PayPalAmounts.FromPayPal((await client.GetRefundAsync(refund!.Id!, ct))?.SellerPayableBreakdown?.TotalRefundedAmount);
                return Refunded(e, refund, total);

            case ProviderEventKind.PaymentSucceeded or ProviderEventKind.PaymentPending or ProviderEventKind.PaymentFailed:
                var capture = PayPalJson.Read<PayPalCapture>(e.Resource);
                return FromPayment(e, kind, capture is null ? null : PayPalMapper.ToPayment(capture));

            default:
                // Not acted on (PAYMENT.CAPTURE.REVERSED, CHECKOUT.ORDER.COMPLETED, …), but filed with its payment when it names one.
                if (e.EventType!.StartsWith("PAYMENT.CAPTURE.", StringComparison.Ordinal) && PayPalJson.Read<PayPalCapture>(e.Resource) is { } other)
                    return FromPayment(e, kind, PayPalMapper.ToPayment(other));
                return new ProviderEvent(e.Id!, e.EventType!, kind);
        }
    }

    /// <summary>
    /// An unsigned delivery: the resource it names is fetched from PayPal, and the event is made from
    /// PayPal's answer alone (key and stored body: <see cref="PayPalRefetchRecord"/>). A resource PayPal
    /// does not have is refused; a type we cannot ask PayPal about is let in and recorded nowhere.
    /// </summary>
    public async Task<WebhookResult> RefetchAsync(PayPalWebhookEvent e, CancellationToken ct)
    {
        var type = e.EventType!;
        var order = type.StartsWith("CHECKOUT.ORDER.", StringComparison.Ordinal);
        if (!order && !type.StartsWith("PAYMENT.CAPTURE.", StringComparison.Ordinal))
            return WebhookResult.Nothing(RefetchMethod, $"An unsigned {type} cannot be checked with PayPal; nothing is recorded.");
        var resourceId = e.Resource.ValueKind == JsonValueKind.Object && e.Resource.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;
        if (!PayPalIds.IsResourceId(resourceId))
            return WebhookResult.Rejected(RefetchMethod, "An unsigned delivery is only a pointer: resource.id must be a PayPal id, which is then fetched from PayPal.");

        if (order)
        {
            if (await client.GetOrderAsync(resourceId!, ct) is not { } fetched) return NotAtPayPal("order", resourceId!);
            var payment = PayPalMapper.ToPayment(fetched, resourceId!);
            var approved = fetched.Status == "APPROVED" && payment.ProviderReference is null;
            return Refetched(FromPayment(PayPalRefetchRecord.OrderKey(resourceId!, fetched, payment), type,
                approved ? ProviderEventKind.CaptureRequired : payment.Status.AsEventKind(), payment), e, "order", resourceId!, fetched);
        }
        if (type == "PAYMENT.CAPTURE.REFUNDED")
        {
            if (await client.GetRefundAsync(resourceId!, ct) is not { } refund) return NotAtPayPal("refund", resourceId!);
            var total = PayPalAmounts.FromPayPal(refund.SellerPayableBreakdown?.TotalRefundedAmount);
            var key = PayPalRefetchRecord.RefundKey(resourceId!, refund, total);
            var news = refund.Status == "COMPLETED"
                ? Refunded(key, type, refund, total)
                // Not settled yet: filed with its payment, changes nothing; its completion is another event.
                : new ProviderEvent(key, type, ProviderEventKind.Informational, PaymentId: refund.CustomId ?? refund.InvoiceId,
                    ProviderReference: PayPalMapper.CaptureIdOf(refund));
            return Refetched(news, e, "refund", resourceId!, refund);
        }
        if (await client.GetCaptureAsync(resourceId!, ct) is not { } capture) return NotAtPayPal("capture", resourceId!);
        var captured = PayPalMapper.ToPayment(capture);
        return Refetched(FromPayment(PayPalRefetchRecord.CaptureKey(resourceId!, capture), type, captured.Status.AsEventKind(), captured),
            e, "capture", resourceId!, capture);
    }

    private static WebhookResult Refetched<T>(ProviderEvent news, PayPalWebhookEvent delivery, string resourceType, string resourceId, T fetched)
        where T : class =>
        WebhookResult.Accepted(news with { RecordedBody = PayPalRefetchRecord.Body(delivery, resourceType, resourceId, fetched) }, RefetchMethod);

    // Only a forger names a resource PayPal does not have: PayPal's own deliveries are about its own records.
    private static WebhookResult NotAtPayPal(string what, string id) =>
        WebhookResult.Rejected(RefetchMethod, $"An unsigned delivery names {what} {id}, which PayPal does not have.");

    private static ProviderEvent FromPayment(PayPalWebhookEvent e, ProviderEventKind kind, ProviderPayment? payment) =>
        FromPayment(e.Id!, e.EventType!, kind, payment);

    private static ProviderEvent FromPayment(string eventId, string eventType, ProviderEventKind kind, ProviderPayment? payment) =>
        new(eventId, eventType, kind,
            ProviderPaymentId: string.IsNullOrEmpty(payment?.ProviderPaymentId) ? null : payment.ProviderPaymentId,
            PaymentId: payment?.PaymentId,
            Amount: payment?.Amount,
            ProviderReference: payment?.ProviderReference,
            FailureReason: kind == ProviderEventKind.PaymentFailed ? $"PayPal: {payment?.FailureCode ?? eventType}" : null);

    private static ProviderEvent Refunded(PayPalWebhookEvent e, PayPalRefund? refund, Core.Money.Money? total) =>
        Refunded(e.Id!, e.EventType!, refund, total);

    private static ProviderEvent Refunded(string eventId, string eventType, PayPalRefund? refund, Core.Money.Money? total) =>
        new(eventId, eventType, ProviderEventKind.Refunded,
            PaymentId: refund?.CustomId ?? refund?.InvoiceId,
            RefundedTotal: total,
            ProviderReference: refund is null ? null : PayPalMapper.CaptureIdOf(refund));
}
