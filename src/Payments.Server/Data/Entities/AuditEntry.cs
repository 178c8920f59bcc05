namespace Payments.Server.Data.Entities;

/// <summary>
/// Append-only trail of everything that touched money or trust: intents, webhooks (good and bad
/// signatures), finalizes, conflicts, rejected transitions, refunds. Written in the same
/// transaction as the change it describes.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }

    /// <summary>Dotted verb: payment.intent, payment.webhook, payment.finalize, payment.conflict, …</summary>
    public required string Action { get; init; }

    public string? PaymentId { get; init; }

    /// <summary>Who: "user:42", "apikey:ak_…", "provider:stripe", "system".</summary>
    public required string Actor { get; init; }

    /// <summary>JSON object with the specifics (amounts, from/to, event ids, reasons).</summary>
    public string? Data { get; init; }
}
