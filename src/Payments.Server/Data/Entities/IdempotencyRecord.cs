namespace Payments.Server.Data.Entities;

/// <summary>The first response to a POST carrying an <c>Idempotency-Key</c>, replayed for 24 hours.</summary>
public sealed class IdempotencyRecord
{
    /// <summary>Whose key it is ("user:42", "key:ak_…", "anon"): keys of different callers never collide.</summary>
    public required string Scope { get; init; }
    public required string Key { get; init; }

    /// <summary>SHA-256 of method, path and body: the same key with another request is refused.</summary>
    public required string RequestHash { get; init; }

    /// <summary>in_progress while the first request runs; completed once its response is stored.</summary>
    public required string State { get; set; }

    public int? ResponseStatus { get; set; }
    public string? ResponseType { get; set; }
    public byte[]? ResponseBody { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
}
