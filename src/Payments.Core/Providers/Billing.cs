using Payments.Core.Billing;

namespace Payments.Core.Providers;

// Recurring billing (Stripe Billing and the dummy; issue 13). Our catalog, customers and subscriptions
// are the source of truth; the provider is told about them and its ids are kept in external-id tables
// next to ours (provider + external id + our id, unique both ways). Amounts are Money, never decimals.
// Every mutating call carries an idempotency key derived from our ids, so a retry is replayed, never repeated.

/// <summary>A product of our catalog, as the provider should show it.</summary>
/// <param name="ProductId">Our id ("pro"); the provider keeps it in metadata so its objects lead back to ours.</param>
/// <param name="ProviderProductId">The provider's id when it knows the product already (then its name is updated), else null.</param>
public sealed record CatalogProduct(string ProductId, string Name, string? ProviderProductId, string IdempotencyKey);

/// <summary>
/// One version of a recurring price of our catalog. A provider price is never edited: changed terms are a new
/// version (a new <paramref name="PriceId"/>), created here, and the old provider price is archived.
/// </summary>
/// <param name="PriceId">Our id of this version (<c>prc_…</c>).</param>
/// <param name="LookupKey">Our key ("pro_monthly"); the provider moves it from the previous version to this one.</param>
public sealed record CatalogPrice(
    string PriceId,
    string LookupKey,
    string ProviderProductId,
    Money.Money UnitAmount,
    BillingInterval Interval,
    int IntervalCount,
    string IdempotencyKey);

/// <summary>A customer's postal address (country as ISO 3166-1 alpha-2).</summary>
public sealed record PostalAddress(string Line1, string? Line2, string City, string? PostalCode, string Country);

/// <summary>A customer as the provider should know it; <paramref name="ProviderCustomerId"/> is null the first time.</summary>
/// <param name="VatId">A VAT number VIES called valid ("DE123456789"), registered with the provider as an EU VAT id; null otherwise.</param>
public sealed record BillingCustomer(
    string CustomerId,
    string UserId,
    string? ProviderCustomerId,
    string Name,
    string Email,
    PostalAddress Address,
    string? VatId,
    TaxExemption TaxExemption,
    string IdempotencyKey);

/// <summary>
/// The foundation of recurring billing: our catalog and customers at the provider. Subscriptions build on it
/// (<see cref="ISubscriptionProvider"/>). Failures follow the port's rules: a refusal is
/// <see cref="ProviderErrorException"/>, no answer is <see cref="ProviderUnavailableException"/>; the caller
/// keeps its own rows as they are and tries again later with the same keys.
/// </summary>
public interface IBillingProvider : IProvider
{
    /// <summary>Creates the product (idempotent on its key), or renames the one <see cref="CatalogProduct.ProviderProductId"/> names; answers the provider's id.</summary>
    Task<string> UpsertProductAsync(CatalogProduct product, CancellationToken cancellationToken);

    /// <summary>Creates a recurring price, taking its lookup key from any earlier price; answers the provider's id.</summary>
    Task<string> CreatePriceAsync(CatalogPrice price, CancellationToken cancellationToken);

    /// <summary>Archives a price (no new subscriptions; existing ones keep it). Archiving an archived price is success.</summary>
    Task ArchivePriceAsync(string providerPriceId, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Creates or updates the customer (name, email, address, VAT id, tax exemption); answers the provider's id.</summary>
    Task<string> UpsertCustomerAsync(BillingCustomer customer, CancellationToken cancellationToken);
}
