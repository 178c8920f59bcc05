namespace Payments.Core.Providers;

/// <summary>
/// The port every payment provider adapter implements. An adapter turns our requests into the
/// provider's wire format and the provider's answers and webhooks into our vocabulary; it knows
/// nothing about our database, routes or users.
/// <para>
/// Declines are results, not exceptions. Throw <see cref="ProviderUnavailableException"/> when
/// the outcome is unknown (timeout, connection reset after sending): the payment then waits for a
/// webhook or a verify, and a charge is never blindly retried.
/// </para>
/// </summary>
public interface IPaymentProvider
{
    /// <summary>Lower-case name used in routes, configuration and the database: "stripe", "dummy".</summary>
    string Name { get; }

    /// <summary>True when the provider's credentials are configured (or it was switched on explicitly).</summary>
    bool IsEnabled { get; }

    /// <summary>
    /// Environment variables this provider needs and that are not set, e.g. <c>STRIPE_WEBHOOK_SECRET</c>.
    /// Start-up refuses to run an enabled provider while this is not empty, and names them.
    /// </summary>
    IReadOnlyList<string> MissingSettings { get; }

    /// <summary>
    /// True when the provider is configured to move real money (live keys). The development provider,
    /// which lets anyone mark a payment paid, is never allowed beside one.
    /// </summary>
    bool IsLive => false;

    /// <summary>True when <paramref name="providerPaymentId"/> has this provider's id shape (prefix).</summary>
    bool OwnsPaymentId(string providerPaymentId);

    /// <summary>Creates a hosted checkout (or an intent for an embedded form) for exactly <see cref="CheckoutRequest.Amount"/>.</summary>
    Task<CheckoutResult> CreateCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken);

    /// <summary>Asks the provider what it knows about a payment now; this is how a lost webhook is healed.</summary>
    Task<ProviderPayment> GetPaymentAsync(string providerPaymentId, CancellationToken cancellationToken);

    /// <summary>
    /// Verifies a webhook delivery (signature, timestamp tolerance) and parses it into one normalized
    /// event. Must not throw for a bad signature: return <see cref="WebhookResult.Rejected"/>.
    /// </summary>
    Task<WebhookResult> ParseWebhookAsync(WebhookRequest request, CancellationToken cancellationToken);

    /// <summary>Refunds part or all of a payment; idempotent on <see cref="RefundRequest.IdempotencyKey"/>.</summary>
    Task<RefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken);
}
