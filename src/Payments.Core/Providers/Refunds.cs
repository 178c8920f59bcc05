namespace Payments.Core.Providers;

/// <summary>Give back <see cref="Amount"/> of a paid payment.</summary>
/// <param name="ProviderReference">The id refunds are made against (Stripe PaymentIntent, PayPal capture).</param>
/// <param name="IdempotencyKey">Derived from our refund id, so a retried call refunds once.</param>
/// <param name="ReverseSplit">The payment was a marketplace destination charge: the provider takes the refund back from
/// the connected account in proportion and returns the platform's fee in proportion too (Stripe: <c>reverse_transfer</c>
/// and <c>refund_application_fee</c>), as our ledger does. Without it the platform alone would pay the refund.</param>
public sealed record RefundRequest(
    string PaymentId,
    string ProviderPaymentId,
    string? ProviderReference,
    Money.Money Amount,
    string IdempotencyKey,
    string? Reason = null,
    bool ReverseSplit = false);

public enum RefundStatus
{
    Succeeded,
    /// <summary>Accepted; the provider settles it later and tells us by webhook.</summary>
    Pending,
    Failed,
}

public sealed record RefundResult(RefundStatus Status, string? ProviderRefundId, string? FailureReason = null);
