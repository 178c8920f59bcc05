namespace Payments.Core.Providers;

/// <summary>
/// An optional second step some providers need: the customer approves on the provider's page, and
/// the money only moves when we ask for it (PayPal orders with <c>intent=CAPTURE</c>). Providers
/// that settle on their own (Stripe Checkout, the dummy) do not implement this.
/// </summary>
public interface ICapturingProvider
{
    /// <summary>
    /// Captures an approved payment and answers what the provider says afterwards, exactly like
    /// <see cref="IPaymentProvider.GetPaymentAsync"/> (amount and currency of the capture, the capture id as
    /// <see cref="ProviderPayment.ProviderReference"/>). Idempotent: capturing something already captured
    /// is success, not an error. A declined capture is a result (<see cref="ProviderPaymentStatus.Declined"/>).
    /// </summary>
    /// <param name="providerPaymentId">The provider's id of the approved checkout (PayPal order id).</param>
    /// <param name="idempotencyKey">Derived from our payment id, so a retried capture captures once.</param>
    Task<ProviderPayment> CaptureAsync(string providerPaymentId, string idempotencyKey, CancellationToken cancellationToken);
}
