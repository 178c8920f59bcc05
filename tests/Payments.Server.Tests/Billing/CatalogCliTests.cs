using OperatorCli = Payments.Cli.Cli;
using Payments.Server.Data;
using Payments.Server.Tests.Stripe;

namespace Payments.Server.Tests.Billing;

/// <summary>A service of its own, so the CLI's first sync is the first one its database and fake Stripe see.</summary>
public sealed class CatalogCliApp() : BillingApp(DatabaseKind.Sqlite);

/// <summary><c>payments-cli catalog sync</c> against the database and (fake) Stripe a service uses, with the configuration it is given.</summary>
public class CatalogCliTests(CatalogCliApp fixture) : IClassFixture<CatalogCliApp>
{
    private async Task<(int Code, string[] Lines, string Err)> Sync(params (string Key, string Value)[] settings)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var all = new Dictionary<string, string?>(fixture.App.Database.Settings);
        foreach (var (key, value) in StripeAppSettings.For(fixture.Stripe)) all[key] = value;
        foreach (var (key, value) in settings) all[key] = value;
        var code = await OperatorCli.RunAsync(["catalog", "sync"], output, error, all);
        return (code, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), error.ToString());
    }

    [Fact]
    public async Task Catalog_sync_prints_what_it_created_then_nothing_then_the_new_price_and_the_archived_one()
    {
        var (code, created, err) = await Sync();
        Assert.True(code == 0, err);
        Assert.Contains(created, l => l.StartsWith("stripe: created product pro (prod_", StringComparison.Ordinal) && l.EndsWith("): Pro", StringComparison.Ordinal));
        Assert.Contains(created, l => l.StartsWith("stripe: created price pro_monthly (price_", StringComparison.Ordinal) && l.EndsWith("): 29.00 EUR / month", StringComparison.Ordinal));
        Assert.Contains(created, l => l.StartsWith("stripe: created price pro_yearly (price_", StringComparison.Ordinal) && l.EndsWith("): 290.00 EUR / year", StringComparison.Ordinal));
        Assert.Contains(created, l => l.StartsWith("dummy: created price team_monthly (dmprice_", StringComparison.Ordinal));
        Assert.Equal(2, fixture.Stripe.Products.Count);
        Assert.Equal(3, fixture.Stripe.Prices.Count);

        var (again, nothing, _) = await Sync();
        Assert.Equal(0, again);
        Assert.Equal(["Nothing to change: every provider has the catalog."], nothing);

        var oldPrice = fixture.Stripe.Prices.Single(p => p["lookup_key"]?.GetValue<string>() == "pro_monthly")["id"]!.GetValue<string>();
        var (changedCode, changed, _) = await Sync(("Catalog:Prices:pro_monthly:Price", "35.00 EUR"));
        Assert.Equal(0, changedCode);
        Assert.Contains(changed, l => l.StartsWith("catalog: archived price pro_monthly (prc_", StringComparison.Ordinal) && l.EndsWith("): its terms changed", StringComparison.Ordinal));
        Assert.Contains(changed, l => l.StartsWith("stripe: created price pro_monthly (price_", StringComparison.Ordinal) && l.EndsWith("): 35.00 EUR / month", StringComparison.Ordinal));
        Assert.Contains($"stripe: archived price pro_monthly ({oldPrice})", changed);
        Assert.Equal(4, fixture.Stripe.Prices.Count);
    }

    [Fact]
    public async Task A_bad_price_in_configuration_is_a_configuration_failure_naming_it()
    {
        var (code, lines, err) = await Sync(("Catalog:Prices:pro_monthly:Interval", "fortnight"));
        Assert.Equal((1, 0), (code, lines.Length));
        Assert.Contains("Catalog__Prices__pro_monthly__Interval='fortnight' must be day, week, month or year", err);
    }
}
