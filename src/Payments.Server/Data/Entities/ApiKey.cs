namespace Payments.Server.Data.Entities;

/// <summary>A server-to-server credential. Only the SHA-256 of its secret is stored.</summary>
public sealed class ApiKey
{
    public required string Id { get; init; }
    public required string Name { get; init; }

    /// <summary><c>admin</c> (everything), <c>vendor</c> (one vendor's own routes) or <c>service</c> (the host application: payments of all its users, no refunds or keys).</summary>
    public required string Role { get; init; }

    public required string SecretHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>The one vendor a <c>vendor</c> key acts for (null for other roles).</summary>
    public string? VendorId { get; init; }
}
