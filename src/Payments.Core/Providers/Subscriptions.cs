namespace Payments.Core.Providers;

// Subscriptions, invoices and the customer portal (issue 13 items 3–6). Built on IBillingProvider: a subscription
// bills a catalog price to a customer. The first invoice is paid on the provider's hosted page (Stripe Checkout in
// mode=subscription, the dummy's own page), so a subscription starts as a checkout; the provider's subscription id
// is learned from its events or by asking about that checkout. Every answer is the provider's state now: features
// apply it under the customer's lock, never a webhook's body.

/// <summary>Subscription states as providers report them (Stripe's vocabulary, which the others map onto).</summary>
public enum ProviderSubscriptionStatus { Incomplete, IncompleteExpired, Trialing, Active, PastDue, Unpaid, Canceled, Paused, Unknown }

public static class SubscriptionStatusNames
{
    /// <summary>Stripe's own words, which the API answers: incomplete, incomplete_expired, trialing, active, past_due, unpaid, canceled, paused.</summary>
    public static string ToWire(this ProviderSubscriptionStatus status) => status switch
    {
        ProviderSubscriptionStatus.Incomplete => "incomplete",
        ProviderSubscriptionStatus.IncompleteExpired => "incomplete_expired",
        ProviderSubscriptionStatus.Trialing => "trialing",
        ProviderSubscriptionStatus.Active => "active",
        ProviderSubscriptionStatus.PastDue => "past_due",
        ProviderSubscriptionStatus.Unpaid => "unpaid",
        ProviderSubscriptionStatus.Canceled => "canceled",
        ProviderSubscriptionStatus.Paused => "paused",
        _ => "unknown",
    };

    /// <summary>The status a provider wrote (Stripe's words); <see cref="ProviderSubscriptionStatus.Unknown"/> for anything else.</summary>
    public static ProviderSubscriptionStatus Parse(string? wire) => wire switch
    {
        "incomplete" => ProviderSubscriptionStatus.Incomplete,
        "incomplete_expired" => ProviderSubscriptionStatus.IncompleteExpired,
        "trialing" => ProviderSubscriptionStatus.Trialing,
        "active" => ProviderSubscriptionStatus.Active,
        "past_due" => ProviderSubscriptionStatus.PastDue,
        "unpaid" => ProviderSubscriptionStatus.Unpaid,
        "canceled" => ProviderSubscriptionStatus.Canceled,
        "paused" => ProviderSubscriptionStatus.Paused,
        _ => ProviderSubscriptionStatus.Unknown,
    };

    /// <summary>Ended for good: nothing more will be billed, and the reconciliation sweep stops asking.</summary>
    public static bool IsFinal(this ProviderSubscriptionStatus status) =>
        status is ProviderSubscriptionStatus.Canceled or ProviderSubscriptionStatus.IncompleteExpired;
}

/// <summary>
/// A subscription to start with a hosted checkout that collects the first invoice.
/// </summary>
/// <param name="SubscriptionId">Our <c>sub_…</c> id; the provider keeps it in metadata, so its events lead back to ours.</param>
/// <param name="TaxRateBasisPoints">VAT to add to the net price (1900 = 19 %); 0 when none is charged (reverse charge, outside the EU).</param>
/// <param name="TaxCountry">Whose rate it is (ISO 3166-1), when VAT is charged.</param>
public sealed record SubscriptionCheckoutRequest(
    string SubscriptionId,
    string ProviderCustomerId,
    string ProviderPriceId,
    Money.Money UnitAmount,
    int TaxRateBasisPoints,
    string? TaxCountry,
    int TrialDays,
    Uri SuccessUrl,
    Uri CancelUrl,
    string IdempotencyKey);

/// <summary>A hosted checkout for a subscription: where to send the customer.</summary>
/// <param name="ProviderSubscriptionId">Known at once when the provider makes the subscription before it is paid (the dummy); null for Stripe Checkout.</param>
public sealed record SubscriptionCheckout(string ProviderCheckoutId, Uri RedirectUrl, string? ProviderSubscriptionId);

/// <summary>A subscription checkout in the provider's view: which subscription it made, once it made one.</summary>
public sealed record ProviderSubscriptionCheckout(string ProviderCheckoutId, string? ProviderSubscriptionId, string? ProviderCustomerId, string? SubscriptionId);

/// <summary>A subscription in the provider's view, normalized.</summary>
/// <param name="SubscriptionId">Our id, from the provider's metadata.</param>
public sealed record ProviderSubscription(
    string ProviderSubscriptionId,
    string? ProviderCustomerId,
    ProviderSubscriptionStatus Status,
    DateTimeOffset? CurrentPeriodStart,
    DateTimeOffset? CurrentPeriodEnd,
    bool CancelAtPeriodEnd,
    DateTimeOffset? TrialEnd = null,
    string? LatestInvoiceId = null,
    string? SubscriptionId = null,
    DateTimeOffset? CanceledAt = null);

public enum ProviderInvoiceStatus { Draft, Open, Paid, Uncollectible, Void, Unknown }

/// <summary>An invoice in the provider's view: what it asked for and what was paid, in minor units.</summary>
/// <param name="Tax">The VAT on it as the provider computed it (null when it states none).</param>
/// <param name="PeriodStart">The service period its line bills (not the invoice's own "period", which Stripe sets to the one before).</param>
/// <param name="AttemptCount">How often the provider tried to collect it; a failed attempt with the invoice still open is a failed payment.</param>
public sealed record ProviderInvoice(
    string ProviderInvoiceId,
    string? ProviderSubscriptionId,
    string? ProviderCustomerId,
    ProviderInvoiceStatus Status,
    Money.Money AmountDue,
    Money.Money AmountPaid,
    Money.Money? Tax,
    DateTimeOffset? PeriodStart,
    DateTimeOffset? PeriodEnd,
    int AttemptCount = 0);

/// <summary>Subscriptions on top of the catalog and customers: a hosted checkout, cancel and resume, ask, invoices, the self-service portal.</summary>
public interface ISubscriptionProvider : IBillingProvider
{
    /// <summary>A hosted page where the customer pays the first invoice of a new subscription (idempotent on the key).</summary>
    Task<SubscriptionCheckout> CreateSubscriptionCheckoutAsync(SubscriptionCheckoutRequest request, CancellationToken cancellationToken);

    /// <summary>The checkout now (which subscription it made, if any), or null when the provider does not know it.</summary>
    Task<ProviderSubscriptionCheckout?> GetSubscriptionCheckoutAsync(string providerCheckoutId, CancellationToken cancellationToken);

    /// <summary>Cancels at once, or at the end of the paid period when <paramref name="atPeriodEnd"/>.</summary>
    Task<ProviderSubscription> CancelSubscriptionAsync(string providerSubscriptionId, bool atPeriodEnd, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Takes back a cancellation at the period's end (the subscription renews again).</summary>
    Task<ProviderSubscription> ResumeSubscriptionAsync(string providerSubscriptionId, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>The subscription now, or null when the provider does not know it (how a lost event is healed).</summary>
    Task<ProviderSubscription?> GetSubscriptionAsync(string providerSubscriptionId, CancellationToken cancellationToken);

    /// <summary>The invoice now, or null when the provider does not know it.</summary>
    Task<ProviderInvoice?> GetInvoiceAsync(string providerInvoiceId, CancellationToken cancellationToken);

    /// <summary>A one-time link to the provider's customer portal (payment methods, invoices, cancel).</summary>
    Task<Uri> CreatePortalSessionAsync(string providerCustomerId, Uri returnUrl, CancellationToken cancellationToken);
}
