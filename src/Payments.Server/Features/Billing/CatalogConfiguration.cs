using Payments.Core.Billing;

namespace Payments.Server.Features.Billing;

/// <summary>
/// Our catalog from configuration, like plans (section <c>Catalog</c>; defaults in appsettings.json:
/// pro_monthly 29.00 EUR a month, pro_yearly 290.00 EUR a year, team_monthly 99.00 EUR a month).
/// <c>Catalog__Prices__&lt;key&gt;__Product</c>, <c>__Price</c> ("29.00 EUR"), <c>__Interval</c> (day, week, month,
/// year), <c>__IntervalCount</c> (default 1), <c>__TrialDays</c> (default 0), <c>__Active</c> (false takes a price
/// off sale, e.g. a default you do not sell); <c>Catalog__Products__&lt;id&gt;__Name</c>. Checked by
/// <see cref="Catalog.Parse"/>: a mistake stops start-up naming the variable.
/// </summary>
public static class CatalogConfiguration
{
    public static Catalog From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Catalog");
        var products = section.GetSection("Products").GetChildren().Select(p => new RawProduct(p.Key, p["Name"]));
        var prices = section.GetSection("Prices").GetChildren()
            .Select(p => new RawPrice(p.Key, p["Product"], p["Price"], p["Interval"], p["IntervalCount"], p["TrialDays"], p["Active"]));
        return Catalog.Parse(products, prices);
    }
}
