using System.Text.Json;
using System.Text.Json.Serialization;
using Payments.Core;
using Payments.Core.Billing;
using Payments.Core.Providers;

namespace Payments.Providers.Dummy;

/// <summary>The dummy's product (<c>dmprod_…</c>).</summary>
public sealed record DummyProduct(string ProductId, string Name);

/// <summary>The dummy's recurring price (<c>dmprice_…</c>); like Stripe's, only <see cref="Active"/> and the lookup key ever change.</summary>
public sealed record DummyPrice(
    string PriceId, string? LookupKey, string Product, long AmountMinor, string Currency, string Interval, int IntervalCount, bool Active);

/// <summary>The dummy's customer (<c>dmcus_…</c>).</summary>
public sealed record DummyCustomer(
    string CustomerId, string UserId, string Name, string Email, PostalAddress Address, string? VatId, string TaxExempt);

/// <summary>
/// Billing on the dummy, so a newcomer can try recurring billing without any account: it keeps products,
/// prices and customers as a provider would (in <see cref="IDummyBillingStore"/>), with the same rules as Stripe:
/// creation is idempotent on the caller's key, a new price takes its lookup key from the price it replaces, and
/// a price is archived, never edited.
/// </summary>
public sealed partial class DummyProvider
{
    public const string ProductKind = "product";
    public const string PriceKind = "price";
    public const string CustomerKind = "customer";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private IDummyBillingStore Billing =>
        billing ?? throw new InvalidOperationException("The dummy provider was built without a billing store (IDummyBillingStore).");

    public async Task<string> UpsertProductAsync(CatalogProduct product, CancellationToken cancellationToken)
    {
        var data = new DummyProduct(product.ProductId, product.Name);
        if (product.ProviderProductId is { } id)
            return await ReplaceAsync(id, ProductKind, data, cancellationToken);
        return (await CreateAsync("dmprod", ProductKind, product.IdempotencyKey, data, cancellationToken)).Id;
    }

    public async Task<string> CreatePriceAsync(CatalogPrice price, CancellationToken cancellationToken)
    {
        if (await FindAsync<DummyProduct>(price.ProviderProductId, ProductKind, cancellationToken) is null)
            throw new ProviderErrorException(ProviderName, $"No such product: '{price.ProviderProductId}'.");
        var data = new DummyPrice(price.PriceId, price.LookupKey, price.ProviderProductId, price.UnitAmount.Minor,
            price.UnitAmount.Currency.Code, price.Interval.ToWire(), price.IntervalCount, Active: true);
        var created = await CreateAsync("dmprice", PriceKind, price.IdempotencyKey, data, cancellationToken);
        // transfer_lookup_key: the key now names this price only.
        foreach (var other in await Billing.ListAsync(PriceKind, cancellationToken))
        {
            if (other.Id == created.Id) continue;
            var held = Read<DummyPrice>(other);
            if (held.LookupKey == price.LookupKey) await Billing.UpdateAsync(other.Id, Write(held with { LookupKey = null }), cancellationToken);
        }
        return created.Id;
    }

    public async Task ArchivePriceAsync(string providerPriceId, string idempotencyKey, CancellationToken cancellationToken)
    {
        var price = await FindAsync<DummyPrice>(providerPriceId, PriceKind, cancellationToken)
                    ?? throw new ProviderErrorException(ProviderName, $"No such price: '{providerPriceId}'.");
        if (price.Active) await Billing.UpdateAsync(providerPriceId, Write(price with { Active = false }), cancellationToken);
    }

    public async Task<string> UpsertCustomerAsync(BillingCustomer customer, CancellationToken cancellationToken)
    {
        var data = new DummyCustomer(customer.CustomerId, customer.UserId, customer.Name, customer.Email, customer.Address, customer.VatId,
            customer.TaxExemption.ToString().ToLowerInvariant());
        if (customer.ProviderCustomerId is { } id)
            return await ReplaceAsync(id, CustomerKind, data, cancellationToken);
        return (await CreateAsync("dmcus", CustomerKind, customer.IdempotencyKey, data, cancellationToken)).Id;
    }

    /// <summary>One of the dummy's billing objects as it keeps it, or null (for pages and tests).</summary>
    public async Task<T?> FindAsync<T>(string id, string kind, CancellationToken cancellationToken) where T : class =>
        await Billing.FindAsync(id, cancellationToken) is { } found && found.Kind == kind ? Read<T>(found) : null;

    /// <summary>Every price the dummy knows, archived ones too.</summary>
    public async Task<IReadOnlyList<(string Id, DummyPrice Price)>> PricesAsync(CancellationToken cancellationToken) =>
        (await Billing.ListAsync(PriceKind, cancellationToken)).Select(o => (o.Id, Read<DummyPrice>(o))).ToList();

    private Task<DummyBillingObject> CreateAsync<T>(string prefix, string kind, string idempotencyKey, T data, CancellationToken ct) =>
        Billing.CreateOnceAsync(idempotencyKey, new DummyBillingObject(Ids.New(prefix, clock.GetUtcNow()), kind, Write(data)), ct);

    private async Task<string> ReplaceAsync<T>(string id, string kind, T data, CancellationToken ct)
    {
        if (await Billing.FindAsync(id, ct) is not { } found || found.Kind != kind || !await Billing.UpdateAsync(id, Write(data), ct))
            throw new ProviderErrorException(ProviderName, $"No such {kind}: '{id}'.");
        return id;
    }

    private static T Read<T>(DummyBillingObject o) =>
        JsonSerializer.Deserialize<T>(o.Data, Json) ?? throw new InvalidOperationException($"Dummy {o.Kind} {o.Id} holds no data.");

    private static string Write<T>(T data) => JsonSerializer.Serialize(data, Json);
}
