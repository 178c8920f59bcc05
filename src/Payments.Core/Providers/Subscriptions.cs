namespace Payments.Core.Providers;

// Subscriptions, invoices and the customer portal (issue 13 items 3–6), declared ahead of the feature so it
// lands as an addition. Built on IBillingProvider: a subscription bills a catalog price to a customer.

/// <summary>Subscription states as providers report them (Stripe's vocabulary, which the others map onto).</summary>
public enum ProviderSubscriptionStatus { Incomplete, IncompleteExpired, Trialing, Active, PastDue, Unpaid, Canceled, Paused, Unknown }

public sealed record SubscriptionRequest(
    string SubscriptionId,
    string ProviderCustomerId,
    string ProviderPriceId,
    int TrialDays,
    string IdempotencyKey);

/// <summary>A subscription in the provider's view, normalized.</summary>
public sealed record ProviderSubscription(
    string ProviderSubscriptionId,
    ProviderSubscriptionStatus Status,
    DateTimeOffset? CurrentPeriodStart,
    DateTimeOffset? CurrentPeriodEnd,
    bool CancelAtPeriodEnd,
    string? LatestInvoiceId = null,
    string? SubscriptionId = null);

public enum ProviderInvoiceStatus { Draft, Open, Paid, Uncollectible, Void, Unknown }

/// <summary>An invoice in the provider's view: what it asked for and what was paid, in minor units.</summary>
public sealed record ProviderInvoice(
    string ProviderInvoiceId,
    string? ProviderSubscriptionId,
    ProviderInvoiceStatus Status,
    Money.Money AmountDue,
    Money.Money AmountPaid,
    DateTimeOffset? PeriodStart,
    DateTimeOffset? PeriodEnd);

/// <summary>Subscriptions on top of the catalog and customers: create, cancel, ask, invoices, the self-service portal.</summary>
public interface ISubscriptionProvider : IBillingProvider
{
    Task<ProviderSubscription> CreateSubscriptionAsync(SubscriptionRequest request, CancellationToken cancellationToken);

    /// <summary>Cancels at once, or at the end of the paid period when <paramref name="atPeriodEnd"/>.</summary>
    Task<ProviderSubscription> CancelSubscriptionAsync(string providerSubscriptionId, bool atPeriodEnd, CancellationToken cancellationToken);

    /// <summary>The subscription now, or null when the provider does not know it (how a lost event is healed).</summary>
    Task<ProviderSubscription?> GetSubscriptionAsync(string providerSubscriptionId, CancellationToken cancellationToken);

    Task<ProviderInvoice?> GetInvoiceAsync(string providerInvoiceId, CancellationToken cancellationToken);

    /// <summary>A one-time link to the provider's customer portal (payment methods, invoices, cancel).</summary>
    Task<Uri> CreatePortalSessionAsync(string providerCustomerId, Uri returnUrl, CancellationToken cancellationToken);
}
