namespace Payments.Server.Data.Entities;

/// <summary>One mail to send (migration 0018), written in the same transaction as the change it is about.</summary>
public sealed class MailOutboxRow
{
    public long Id { get; init; }

    /// <summary>receipt, payment_failed, trial_ending (<see cref="Features.Mail.MailKinds"/>).</summary>
    public required string Kind { get; init; }

    /// <summary>The event the mail is about (<c>receipt:pay_…</c>); unique, so each event makes one mail.</summary>
    public required string DedupeKey { get; init; }
    public required string Recipient { get; init; }
    public required string Subject { get; init; }
    public required string TextBody { get; init; }
    public string? HtmlBody { get; init; }

    /// <summary>The Message-ID header, the same on every attempt.</summary>
    public required string MessageId { get; init; }

    /// <summary>pending, sent, failed (given up).</summary>
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>The lease of the node sending it; null when nobody is.</summary>
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}
