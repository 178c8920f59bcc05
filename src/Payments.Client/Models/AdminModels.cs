namespace Payments.Client;

/// <summary>An endpoint of the host application that the service POSTs signed events to.</summary>
public sealed class WebhookEndpoint
{
    public string Id { get; init; } = "";
    public string Url { get; init; } = "";

    /// <summary>Event types (<see cref="WebhookEventTypes"/>), or <c>*</c> for all.</summary>
    public IReadOnlyList<string> Events { get; init; } = [];

    public string? Description { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A new endpoint, with its signing secret: shown here only.</summary>
public sealed class CreatedWebhookEndpoint
{
    public string Id { get; init; } = "";
    public string Url { get; init; } = "";
    public IReadOnlyList<string> Events { get; init; } = [];
    public string? Description { get; init; }

    /// <summary><c>whsec_…</c>: verify deliveries with it (<see cref="WebhookSignature.Verify(string, string?, string, DateTimeOffset, TimeSpan?)"/>).</summary>
    public string Secret { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A rotated secret. The previous one keeps signing beside it (a second <c>v1=</c>) until <see cref="PreviousSecretExpiresAt"/>.</summary>
public sealed class RotatedWebhookSecret
{
    public string Id { get; init; } = "";
    public string Secret { get; init; } = "";
    public DateTimeOffset PreviousSecretExpiresAt { get; init; }
}

/// <summary>One event's delivery to one endpoint: attempts, the last answer, the next try.</summary>
public sealed class WebhookDelivery
{
    public long DeliveryId { get; init; }
    public string EventId { get; init; } = "";
    public string Type { get; init; } = "";

    /// <summary>What the event is about (a payment, a user's credit account); events of one resource arrive in order.</summary>
    public string Resource { get; init; } = "";

    /// <summary><c>pending</c>, <c>succeeded</c> or <c>failed</c> (given up).</summary>
    public string Status { get; init; } = "";

    public int Attempts { get; init; }
    public int? LastStatusCode { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>An API key as listed (never its secret).</summary>
public sealed class ApiKeyInfo
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";

    /// <summary><c>service</c> (the host application) or <c>admin</c>.</summary>
    public string Role { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset? RevokedAt { get; init; }
}

/// <summary>A new API key with its secret (<see cref="Key"/>, <c>psk_…</c>): shown here only.</summary>
public sealed class CreatedApiKey
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public string Key { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}
