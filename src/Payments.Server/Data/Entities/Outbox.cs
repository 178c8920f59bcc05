namespace Payments.Server.Data.Entities;

/// <summary>A change the host application is told about, written in the same transaction as the change.</summary>
public sealed class OutboxEvent
{
    public long Id { get; init; }

    /// <summary><c>evt_…</c>: stable across every delivery and retry, for the host's own de-duplication.</summary>
    public required string EventId { get; init; }

    /// <summary><c>payment.succeeded</c>, <c>payment.refunded</c>, …</summary>
    public required string Type { get; init; }

    /// <summary>What it is about: <c>payment</c> …; with <see cref="ResourceId"/> it orders deliveries.</summary>
    public required string ResourceType { get; init; }
    public required string ResourceId { get; init; }

    /// <summary>The resource as the API shows it at that moment (JSON).</summary>
    public required string Payload { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public bool FannedOut { get; set; }
}

/// <summary>A URL of the host's that receives signed deliveries of the event types it chose.</summary>
public sealed class WebhookEndpoint
{
    /// <summary><c>we_…</c></summary>
    public required string Id { get; init; }
    public required string Url { get; init; }

    /// <summary>JSON array of event types, or <c>["*"]</c>.</summary>
    public required string Events { get; init; }
    public string? Description { get; init; }
    public required string Secret { get; set; }
    public string? PreviousSecret { get; set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DeletedAt { get; set; }
}

/// <summary>One event for one endpoint: its attempts and what the endpoint answered.</summary>
public sealed class OutboxDelivery
{
    public long Id { get; init; }
    public required string EndpointId { get; init; }
    public long OutboxId { get; init; }
    public required string ResourceKey { get; init; }

    /// <summary>pending, succeeded, failed (given up after the retry window).</summary>
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}
