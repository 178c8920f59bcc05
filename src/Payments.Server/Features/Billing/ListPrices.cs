using Payments.Core.Billing;

namespace Payments.Server.Features.Billing;

/// <summary>
/// <c>GET /api/v1/billing/prices</c>: the recurring prices on sale, from configuration. Public, like plans and credit
/// packages: a storefront shows them before anyone signs in, and they hold nothing private (no provider ids).
/// </summary>
public static class ListPrices
{
    /// <param name="Price">The key clients subscribe with ("pro_monthly").</param>
    /// <param name="Amount">Net, in minor units (VAT is added per customer, see <c>GET /api/v1/billing/info</c>).</param>
    public sealed record PriceView(
        string Price, string Product, string ProductName, long Amount, string Currency, string Display, string Interval, int IntervalCount,
        int TrialDays, string Description);

    public sealed record PriceList(IReadOnlyList<PriceView> Prices);

    public static void Map(RouteGroupBuilder billing) =>
        billing.MapGet("/prices", (Catalog catalog) => new PriceList(catalog.Prices.Select(p => new PriceView(
                p.Key, p.Product, catalog.Product(p.Product).Name, p.Amount.Minor, p.Amount.Currency.Code, p.Amount.ToString(),
                p.Interval.ToWire(), p.IntervalCount, p.TrialDays, p.Description)).ToList()))
            .WithSummary("Recurring prices on sale (net amounts in minor units, billing period, trial days).")
            .Produces<PriceList>();
}
