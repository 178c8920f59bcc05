using Payments.Core.Providers;

namespace Payments.Providers.Dummy;

/// <summary>One checkout as the pretend provider sees it. URLs are kept as text, as they are stored.</summary>
public sealed record DummyCheckout(
    string Id,
    string PaymentId,
    Core.Money.Money Amount,
    string SuccessLink,
    string CancelLink,
    ProviderPaymentStatus Status,
    long RefundedMinor)
{
    public Uri SuccessUrl => new(SuccessLink);
    public Uri CancelUrl => new(CancelLink);
}

/// <summary>What <see cref="IDummyCheckoutStore.RefundOnceAsync"/> did: refunded (or had already, for this key), or why not.</summary>
public sealed record DummyRefundOutcome(bool Ok, DummyCheckout? Checkout, string? Why);

/// <summary>
/// The dummy provider's own side of the world, what a real provider keeps in its database: its
/// checkouts and the refunds made on them. The host implements it (the service keeps it in its own
/// database, so a restart forgets nothing: refunds and verify still know earlier dummy payments);
/// the dummy knows nothing of how. Each method is one atomic step, safe for concurrent callers and
/// for several nodes, and follows the rules a real provider would:
/// </summary>
public interface IDummyCheckoutStore
{
    /// <summary>
    /// Keeps <paramref name="checkout"/> (status pending, nothing refunded) unless a checkout was already
    /// created with <paramref name="idempotencyKey"/>; answers the one kept, so a retried create is the same checkout.
    /// </summary>
    Task<DummyCheckout> CreateOnceAsync(string idempotencyKey, DummyCheckout checkout, CancellationToken cancellationToken);

    /// <summary>The checkout, or null when the dummy never made it.</summary>
    Task<DummyCheckout?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// The customer's choice on the simulate page: an open checkout (pending, or declined, which may be
    /// tried again with another card as on Stripe Checkout) takes <paramref name="outcome"/>; paid or
    /// canceled is final and stays. Answers the checkout as it now is, or null when it is unknown.
    /// </summary>
    Task<DummyCheckout?> SettleAsync(string id, ProviderPaymentStatus outcome, CancellationToken cancellationToken);

    /// <summary>
    /// Refunds <paramref name="amountMinor"/> once per <paramref name="idempotencyKey"/> (a repeated key
    /// refunds nothing more and succeeds). Refused: an unknown checkout ("unknown payment"), one not
    /// paid ("payment is not paid"), or more than was paid in all ("refund exceeds the paid amount").
    /// </summary>
    Task<DummyRefundOutcome> RefundOnceAsync(string id, long amountMinor, string idempotencyKey, CancellationToken cancellationToken);
}
