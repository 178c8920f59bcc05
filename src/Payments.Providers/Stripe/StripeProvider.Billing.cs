using System.Net;
using Payments.Core.Providers;
using Sdk = global::Stripe;

namespace Payments.Providers.Stripe;

/// <summary>
/// Stripe Billing's catalog and customers (<see cref="IBillingProvider"/>): Products, Prices with our key as
/// <c>lookup_key</c> (moved to each new version with <c>transfer_lookup_key</c>; the old price is archived with
/// <c>active=false</c>, never edited), and Customers with <c>tax_exempt</c> and the verified VAT number as an
/// <c>eu_vat</c> tax id. Every POST carries the caller's idempotency key.
/// </summary>
public sealed partial class StripeProvider
{
    public Task<string> UpsertProductAsync(CatalogProduct product, CancellationToken cancellationToken) =>
        product.ProviderProductId is { } id
            ? SendAsync("Updating a product", async ct =>
                (await V1.Products.UpdateAsync(id, StripeBillingRequests.ProductUpdate(product), StripeRequests.Idempotent(product.IdempotencyKey), ct)).Id,
                null, cancellationToken)
            : SendAsync("Creating a product", async ct =>
                (await V1.Products.CreateAsync(StripeBillingRequests.Product(product), StripeRequests.Idempotent(product.IdempotencyKey), ct)).Id,
                null, cancellationToken);

    public Task<string> CreatePriceAsync(CatalogPrice price, CancellationToken cancellationToken)
    {
        if (!StripeAmounts.TryToStripe(price.UnitAmount, out var amount, out var why))
            throw new ProviderErrorException(ProviderName, $"Price {price.LookupKey}: {why}");
        return SendAsync("Creating a price", async ct =>
                (await V1.Prices.CreateAsync(StripeBillingRequests.Price(price, amount), StripeRequests.Idempotent(price.IdempotencyKey), ct)).Id,
            null, cancellationToken);
    }

    public Task ArchivePriceAsync(string providerPriceId, string idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync("Archiving a price", async ct =>
                (await V1.Prices.UpdateAsync(providerPriceId, new Sdk.PriceUpdateOptions { Active = false }, StripeRequests.Idempotent(idempotencyKey), ct)).Id,
            null, cancellationToken);

    public async Task<string> UpsertCustomerAsync(BillingCustomer customer, CancellationToken cancellationToken)
    {
        var idempotent = StripeRequests.Idempotent(customer.IdempotencyKey);
        if (customer.ProviderCustomerId is not { } id)
            return await SendAsync("Creating a customer",
                async ct => (await V1.Customers.CreateAsync(StripeBillingRequests.Customer(customer), idempotent, ct)).Id, null, cancellationToken);

        await SendAsync("Updating a customer",
            async ct => (await V1.Customers.UpdateAsync(id, StripeBillingRequests.CustomerUpdate(customer), idempotent, ct)).Id, null, cancellationToken);
        await SyncVatIdAsync(id, customer, cancellationToken);
        return id;
    }

    /// <summary>
    /// <c>tax_id_data</c> is a create-only parameter; afterwards a customer's tax ids are objects of their own. The
    /// customer keeps exactly one <c>eu_vat</c> id, the verified number, or none: others are deleted, a missing one added.
    /// </summary>
    private async Task SyncVatIdAsync(string customerId, BillingCustomer customer, CancellationToken cancellationToken)
    {
        var taxIds = await SendAsync("Listing a customer's tax ids",
            ct => V1.Customers.TaxIds.ListAsync(customerId, new Sdk.CustomerTaxIdListOptions { Limit = 100 }, null, ct), null, cancellationToken);
        var vatIds = taxIds.Data.Where(t => t.Type == StripeBillingRequests.EuVat).ToList();
        foreach (var stale in vatIds.Where(t => t.Value != customer.VatId))
            await SendAsync("Deleting a tax id", async ct => (await V1.Customers.TaxIds.DeleteAsync(customerId, stale.Id, null, null, ct)).Id,
                e => e.HttpStatusCode == HttpStatusCode.NotFound ? stale.Id : null, cancellationToken); // already gone is done
        if (customer.VatId is { } vat && vatIds.All(t => t.Value != vat))
            await SendAsync("Adding a tax id", async ct => (await V1.Customers.TaxIds.CreateAsync(customerId,
                    new Sdk.CustomerTaxIdCreateOptions { Type = StripeBillingRequests.EuVat, Value = vat },
                    StripeRequests.Idempotent($"{customer.IdempotencyKey}-vat"), ct)).Id,
                null, cancellationToken);
    }
}
