namespace Payments.Core.Providers;

// Recurring billing (Stripe Billing and the dummy; issue "Subscriptions and billing"). Our catalog,
// customers and subscriptions are the source of truth; the provider is told about them and its ids
// are kept in external-id tables next to ours. Amounts are Money (minor units), never decimals.

/// <summary>How often a recurring price bills.</summary>
public enum BillingInterval { Day, Week, Month, Year }

/// <summary>A product of our catalog ("pro"), as the provider should show it.</summary>
/// <param name="ProductId">Our id; the provider keeps it in metadata so its objects lead back to ours.</param>
public sealed record CatalogProduct(string ProductId, string Name);

/// <summary>
/// A recurring price of our catalog. A changed price is a new provider price (the old one is
/// archived, never edited), so the provider's price is keyed by <paramref name="LookupKey"/>.
/// </summary>
public sealed record CatalogPrice(
    string PriceId,
    string ProviderProductId,
    Money.Money UnitAmount,
    BillingInterval Interval,
    int IntervalCount,
    string LookupKey,
    string IdempotencyKey);

/// <summary>A customer's postal address (country as ISO 3166-1 alpha-2).</summary>
public sealed record PostalAddress(string Line1, string? Line2, string City, string PostalCode, string Country);

/// <summary>Whether VAT is charged: <c>Reverse</c> for a valid VAT id of another EU member state (reverse charge).</summary>
public enum TaxExemption { None, Reverse, Exempt }

/// <summary>A customer as the provider should know it; <paramref name="ProviderCustomerId"/> is null the first time.</summary>
public sealed record BillingCustomer(
    string CustomerId,
    string? ProviderCustomerId,
    string Name,
    string Email,
    PostalAddress? Address,
    string? VatId,
    TaxExemption TaxExemption,
    string IdempotencyKey);

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

/// <summary>Recurring billing: catalog, customers, subscriptions, invoices and the self-service portal.</summary>
public interface IBillingProvider : IProvider
{
    /// <summary>Creates the product once (idempotent on <see cref="CatalogProduct.ProductId"/>) or updates its name; answers the provider's id.</summary>
    Task<string> UpsertProductAsync(CatalogProduct product, CancellationToken cancellationToken);

    /// <summary>Creates a recurring price; answers the provider's id.</summary>
    Task<string> CreatePriceAsync(CatalogPrice price, CancellationToken cancellationToken);

    /// <summary>Archives a price that configuration no longer names (existing subscriptions keep it).</summary>
    Task ArchivePriceAsync(string providerPriceId, CancellationToken cancellationToken);

    /// <summary>Creates or updates the customer (name, email, address, VAT id, tax exemption); answers the provider's id.</summary>
    Task<string> UpsertCustomerAsync(BillingCustomer customer, CancellationToken cancellationToken);

    Task<ProviderSubscription> CreateSubscriptionAsync(SubscriptionRequest request, CancellationToken cancellationToken);

    /// <summary>Cancels at once, or at the end of the paid period when <paramref name="atPeriodEnd"/>.</summary>
    Task<ProviderSubscription> CancelSubscriptionAsync(string providerSubscriptionId, bool atPeriodEnd, CancellationToken cancellationToken);

    /// <summary>The subscription now, or null when the provider does not know it (how a lost event is healed).</summary>
    Task<ProviderSubscription?> GetSubscriptionAsync(string providerSubscriptionId, CancellationToken cancellationToken);

    Task<ProviderInvoice?> GetInvoiceAsync(string providerInvoiceId, CancellationToken cancellationToken);

    /// <summary>A one-time link to the provider's customer portal (payment methods, invoices, cancel).</summary>
    Task<Uri> CreatePortalSessionAsync(string providerCustomerId, Uri returnUrl, CancellationToken cancellationToken);
}
