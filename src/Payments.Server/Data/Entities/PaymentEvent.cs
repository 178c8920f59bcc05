namespace Payments.Server.Data.Entities;

/// <summary>
/// A verified provider webhook, stored with its raw body. UNIQUE(provider, external_event_id)
/// is what makes a second delivery of the same event a no-op: the insert is the check.
/// </summary>
public sealed class PaymentEvent
{
    public long Id { get; init; }
    public required string Provider { get; init; }
    public required string ExternalEventId { get; init; }
    public required string EventType { get; init; }
    public string? PaymentId { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The bytes the signature covered, as UTF-8 text, for reconciliation and disputes.</summary>
    public required string RawBody { get; init; }

    /// <summary>How the delivery was proven genuine: "hmac-sha256", "paypal-api", "refetch", …</summary>
    public required string Verification { get; init; }

    /// <summary>What applying it did: applied, no_change, stale, conflict, informational, unmatched, unhandled.</summary>
    public required string Outcome { get; init; }

    /// <summary>The kind of record it concerns (snake_case <see cref="Core.Providers.WebhookRecordType"/>): payment, subscription, …</summary>
    public string RecordType { get; init; } = "payment";

    /// <summary>The provider's id of that record when it is not a payment (payments are linked by <see cref="PaymentId"/>).</summary>
    public string? RecordId { get; init; }
}
