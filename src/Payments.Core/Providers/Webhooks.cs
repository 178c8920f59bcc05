namespace Payments.Core.Providers;

/// <summary>One webhook delivery exactly as received: the raw bytes are what the signature covers.</summary>
public sealed record WebhookRequest(IReadOnlyDictionary<string, string> Headers, ReadOnlyMemory<byte> Body, DateTimeOffset ReceivedAt)
{
    /// <summary>Header value by case-insensitive name, or null.</summary>
    public string? Header(string name)
    {
        if (Headers.TryGetValue(name, out var value)) return value;
        foreach (var (key, v) in Headers)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return v;
        return null;
    }
}

/// <summary>What a webhook means for a payment, in our words.</summary>
public enum ProviderEventKind
{
    PaymentSucceeded,
    PaymentPending,
    PaymentFailed,
    PaymentCanceled,
    PaymentExpired,
    /// <summary>Money went back; <see cref="ProviderEvent.RefundedTotal"/> is the cumulative refunded amount.</summary>
    Refunded,
    /// <summary>The customer approved and the payment now needs a capture call (PayPal orders).</summary>
    CaptureRequired,
    /// <summary>Recorded for the audit trail; changes no payment (unknown or informational types).</summary>
    Informational,
}

/// <summary>A verified webhook, normalized.</summary>
/// <param name="EventId">The provider's event id; with the provider name it is the de-duplication key.</param>
/// <param name="EventType">The provider's own type string, e.g. <c>checkout.session.completed</c>.</param>
/// <param name="ProviderPaymentId">The provider id of the payment it concerns, when the event has one.</param>
/// <param name="PaymentId">Our <c>pay_…</c> id when the provider echoes it back (metadata).</param>
/// <param name="Amount">For success events: what was charged, to compare exactly with ours. For refund
/// events, when the provider says what the refunded charge took: it proves the payment too.</param>
/// <param name="RefundedTotal">For refund events: cumulative refunded amount (idempotent under replays).</param>
/// <param name="ProviderReference">Secondary id (Stripe PaymentIntent, PayPal capture) to remember or match on.</param>
public sealed record ProviderEvent(
    string EventId,
    string EventType,
    ProviderEventKind Kind,
    string? ProviderPaymentId = null,
    string? PaymentId = null,
    Money.Money? Amount = null,
    Money.Money? RefundedTotal = null,
    string? ProviderReference = null,
    string? FailureReason = null);

/// <summary>Outcome of verifying and parsing a delivery.</summary>
public sealed record WebhookResult
{
    private WebhookResult(bool verified, string method, string? failure, ProviderEvent? @event)
    {
        Verified = verified;
        Method = method;
        Failure = failure;
        Event = @event;
    }

    /// <summary>True when the delivery was proven to come from the provider.</summary>
    public bool Verified { get; }

    /// <summary>How it was proven or checked: "hmac-sha256", "paypal-api", "refetch", "paypal-cert".</summary>
    public string Method { get; }

    /// <summary>Why verification or parsing failed; null when verified.</summary>
    public string? Failure { get; }

    public ProviderEvent? Event { get; }

    public static WebhookResult Accepted(ProviderEvent @event, string method) => new(true, method, null, @event);

    public static WebhookResult Rejected(string method, string failure) => new(false, method, failure, null);
}
