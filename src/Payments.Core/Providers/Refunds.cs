namespace Payments.Core.Providers;

/// <summary>Give back <see cref="Amount"/> of a paid payment.</summary>
/// <param name="ProviderReference">The id refunds are made against (Stripe PaymentIntent, PayPal capture).</param>
/// <param name="IdempotencyKey">Derived from our refund id, so a retried call refunds once.</param>
public sealed record RefundRequest(
    string PaymentId,
    string ProviderPaymentId,
    string? ProviderReference,
    Money.Money Amount,
    string IdempotencyKey,
    string? Reason = null);

public enum RefundStatus
{
    Succeeded,
    /// <summary>Accepted; the provider settles it later and tells us by webhook.</summary>
    Pending,
    Failed,
}

public sealed record RefundResult(RefundStatus Status, string? ProviderRefundId, string? FailureReason = null);
