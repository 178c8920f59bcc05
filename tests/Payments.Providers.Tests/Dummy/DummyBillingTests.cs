using Payments.Core.Billing;
using Payments.Core.Providers;
using Payments.Providers.Dummy;
using Payments.Providers.Tests.Support;
using M = Payments.Core.Money.Money;

namespace Payments.Providers.Tests.Dummy;

/// <summary>The dummy's catalog and customers follow Stripe's rules, so what a newcomer tries on it holds at Stripe.</summary>
public class DummyBillingTests
{
    private readonly DummyProvider _dummy = new(new DummyOptions(), new InMemoryDummyCheckoutStore(),
        new FixedClock(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero)), new InMemoryDummyBillingStore());

    private static CatalogPrice Price(string id, string product, long amount) =>
        new(id, "pro_monthly", product, M.Of(amount, "EUR"), BillingInterval.Month, 1, $"catalog-price-{id}");

    [Fact]
    public async Task Creating_a_product_twice_with_one_key_is_one_product_and_an_upsert_with_its_id_renames_it()
    {
        var first = await _dummy.UpsertProductAsync(new CatalogProduct("pro", "Pro", null, "k1"), default);
        var again = await _dummy.UpsertProductAsync(new CatalogProduct("pro", "Pro", null, "k1"), default);
        Assert.Equal(first, again);
        Assert.StartsWith("dmprod_", first);

        Assert.Equal(first, await _dummy.UpsertProductAsync(new CatalogProduct("pro", "Pro plus", first, "k2"), default));
        Assert.Equal("Pro plus", (await _dummy.FindAsync<DummyProduct>(first, DummyProvider.ProductKind, default))!.Name);
    }

    [Fact]
    public async Task A_new_price_takes_the_lookup_key_and_the_old_one_is_archived_not_changed()
    {
        var product = await _dummy.UpsertProductAsync(new CatalogProduct("pro", "Pro", null, "p"), default);
        var old = await _dummy.CreatePriceAsync(Price("prc_1", product, 2900), default);
        var replacement = await _dummy.CreatePriceAsync(Price("prc_2", product, 3500), default);
        await _dummy.ArchivePriceAsync(old, "archive", default);
        await _dummy.ArchivePriceAsync(old, "archive", default); // archiving again is success

        var prices = (await _dummy.PricesAsync(default)).ToDictionary(p => p.Id, p => p.Price);
        Assert.Equal((false, null, 2900L), (prices[old].Active, prices[old].LookupKey, prices[old].AmountMinor));
        Assert.Equal((true, "pro_monthly", 3500L), (prices[replacement].Active, prices[replacement].LookupKey, prices[replacement].AmountMinor));
        Assert.Equal(replacement, await _dummy.CreatePriceAsync(Price("prc_2", product, 3500), default)); // same key, same price
    }

    [Fact]
    public async Task Unknown_ids_are_refused_as_a_provider_would()
    {
        await Assert.ThrowsAsync<ProviderErrorException>(() => _dummy.CreatePriceAsync(Price("prc_1", "dmprod_nope", 100), default));
        await Assert.ThrowsAsync<ProviderErrorException>(() => _dummy.ArchivePriceAsync("dmprice_nope", "k", default));
        await Assert.ThrowsAsync<ProviderErrorException>(() => _dummy.UpsertProductAsync(new CatalogProduct("pro", "Pro", "dmprod_nope", "k"), default));
    }

    [Fact]
    public async Task A_customer_is_kept_with_its_tax_treatment_and_updated_in_place()
    {
        var address = new PostalAddress("Hauptstr. 1", null, "Berlin", "10115", "DE");
        var customer = new BillingCustomer("cust_1", "42", null, "ACME GmbH", "billing@acme.example", address, "DE123456789", TaxExemption.Reverse, "c1");
        var id = await _dummy.UpsertCustomerAsync(customer, default);
        Assert.StartsWith("dmcus_", id);
        Assert.Equal(id, await _dummy.UpsertCustomerAsync(customer with { ProviderCustomerId = id, Name = "ACME AG", VatId = null,
            TaxExemption = TaxExemption.None, IdempotencyKey = "c2" }, default));

        var kept = await _dummy.FindAsync<DummyCustomer>(id, DummyProvider.CustomerKind, default);
        Assert.Equal(("ACME AG", null, "none", "Berlin"), (kept!.Name, kept.VatId, kept.TaxExempt, kept.Address.City));
    }
}
