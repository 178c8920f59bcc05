namespace Payments.Server.Data.Entities;

/// <summary>
/// A refund we asked a provider for. Rows in <c>pending</c> or <c>succeeded</c> reserve their amount,
/// so the sum of refunds can never pass what was paid, even while a provider call is in flight.
/// </summary>
public sealed class Refund
{
    public required string Id { get; init; }
    public required string PaymentId { get; init; }
    public required long AmountMinor { get; init; }
    public required string Currency { get; init; }

    /// <summary>pending, succeeded or failed.</summary>
    public required string Status { get; set; }

    public string? Reason { get; init; }
    public string? ProviderRefundId { get; set; }
    public string? FailureReason { get; set; }
    public required string RequestedBy { get; init; }

    /// <summary>The caller's Idempotency-Key, when it sent one: unique per caller, so a retry finds this refund again.</summary>
    public string? RequestKey { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}
