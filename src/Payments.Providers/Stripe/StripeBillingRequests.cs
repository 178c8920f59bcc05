using Payments.Core.Billing;
using Payments.Core.Providers;
using Sdk = global::Stripe;

namespace Payments.Providers.Stripe;

/// <summary>Our catalog and customers as Stripe.net's options (the form bodies of <c>POST /v1/products</c>, <c>/v1/prices</c>, <c>/v1/customers</c>).</summary>
public static class StripeBillingRequests
{
    /// <summary>Stripe's tax id type for an EU VAT number (its value keeps the prefix: "DE123456789", "EL123456789").</summary>
    public const string EuVat = "eu_vat";

    public static Sdk.ProductCreateOptions Product(CatalogProduct product) => new()
    {
        Name = product.Name,
        Metadata = new Dictionary<string, string> { ["product_id"] = product.ProductId },
    };

    public static Sdk.ProductUpdateOptions ProductUpdate(CatalogProduct product) => new() { Name = product.Name };

    /// <summary>
    /// <c>POST /v1/prices</c>: recurring, our key as <c>lookup_key</c> with <c>transfer_lookup_key</c> (the key moves
    /// here from the version it replaces), <c>tax_behavior=exclusive</c> because our prices are net (VAT is added per
    /// customer), and our version id in metadata.
    /// </summary>
    public static Sdk.PriceCreateOptions Price(CatalogPrice price, long unitAmount) => new()
    {
        Product = price.ProviderProductId,
        Currency = StripeAmounts.CurrencyParameter(price.UnitAmount.Currency),
        UnitAmount = unitAmount,
        Recurring = new Sdk.PriceRecurringOptions { Interval = price.Interval.ToWire(), IntervalCount = price.IntervalCount },
        LookupKey = price.LookupKey,
        TransferLookupKey = true,
        TaxBehavior = "exclusive",
        Metadata = new Dictionary<string, string> { ["price_id"] = price.PriceId },
    };

    public static Sdk.CustomerCreateOptions Customer(BillingCustomer customer) => new()
    {
        Name = customer.Name,
        Email = customer.Email,
        Address = Address(customer.Address, clearing: false),
        TaxExempt = TaxExempt(customer.TaxExemption),
        TaxIdData = customer.VatId is { } vat ? [new Sdk.CustomerTaxIdDataOptions { Type = EuVat, Value = vat }] : null,
        Metadata = Metadata(customer),
    };

    /// <summary>An update sends every field, an empty string for an absent one (Stripe.net leaves out nulls, and "" clears).</summary>
    public static Sdk.CustomerUpdateOptions CustomerUpdate(BillingCustomer customer) => new()
    {
        Name = customer.Name,
        Email = customer.Email,
        Address = Address(customer.Address, clearing: true),
        TaxExempt = TaxExempt(customer.TaxExemption),
        Metadata = Metadata(customer),
    };

    public static string TaxExempt(TaxExemption exemption) => exemption switch
    {
        TaxExemption.None => "none",
        TaxExemption.Reverse => "reverse",
        TaxExemption.Exempt => "exempt",
        _ => throw new ArgumentOutOfRangeException(nameof(exemption), exemption, null),
    };

    private static Sdk.AddressOptions Address(PostalAddress address, bool clearing) => new()
    {
        Line1 = address.Line1,
        Line2 = address.Line2 ?? (clearing ? "" : null),
        City = address.City,
        PostalCode = address.PostalCode ?? (clearing ? "" : null),
        Country = address.Country,
    };

    private static Dictionary<string, string> Metadata(BillingCustomer customer) =>
        new() { ["customer_id"] = customer.CustomerId, ["user_id"] = customer.UserId };
}
