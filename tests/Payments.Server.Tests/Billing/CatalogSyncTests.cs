using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Core.Billing;
using Payments.Providers.Dummy;
using Payments.Server.Data;
using Payments.Server.Features.Billing;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Billing;

/// <summary>The catalog from configuration, listed, and synced to Stripe (the fake) and the dummy, on each database.</summary>
public abstract class CatalogSyncTests<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : BillingApp
{
    private PaymentsApp App => fixture.App;
    private Fakes.Stripe.FakeStripe Stripe => fixture.Stripe;

    private static readonly RawPrice[] Defaults =
    [
        new("pro_monthly", "pro", "29.00 EUR", "month", null, null, null),
        new("pro_yearly", "pro", "290.00 EUR", "year", null, null, null),
        new("team_monthly", "team", "99.00 EUR", "month", null, null, null),
    ];

    private static Catalog With(params RawPrice[] changed) =>
        Catalog.Parse([new RawProduct("pro", "Pro"), new RawProduct("team", "Team")],
            Defaults.Where(d => changed.All(c => c.Key != d.Key)).Concat(changed));

    /// <summary>One sync as the service or the CLI runs it, with the configured catalog or another.</summary>
    private async Task<CatalogSyncReport> Sync(Catalog? catalog = null)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var sync = catalog is null
            ? scope.ServiceProvider.GetRequiredService<CatalogSync>()
            : ActivatorUtilities.CreateInstance<CatalogSync>(scope.ServiceProvider, catalog);
        var report = await sync.RunAsync(null, CancellationToken.None);
        Assert.True(report.Complete, string.Join("; ", report.Failures));
        return report;
    }

    private IReadOnlyList<JsonObject> ActiveStripePrices(string lookupKey) =>
        Stripe.Prices.Where(p => p["active"]!.GetValue<bool>() && p["lookup_key"]?.GetValue<string>() == lookupKey).ToList();

    private int StripePosts() => Stripe.Requests.Count(r => r.Method == "POST" && (r.Path.StartsWith("/v1/products") || r.Path.StartsWith("/v1/prices")));

    [Fact]
    public async Task Prices_are_listed_to_anyone_with_net_amounts_periods_and_trial_days()
    {
        using var anonymous = App.Client();
        var body = await (await anonymous.GetAsync("/api/v1/billing/prices")).Body();

        var prices = body.GetProperty("prices").EnumerateArray().ToDictionary(p => p.Str("price"));
        Assert.Equal(["pro_monthly", "pro_yearly", "team_monthly"], prices.Keys.Order());
        var monthly = prices["pro_monthly"];
        Assert.Equal(("pro", "Pro", 2900L, "EUR", "29.00 EUR", "month", 1, 0, "29.00 EUR / month"),
            (monthly.Str("product"), monthly.Str("product_name"), monthly.GetProperty("amount").GetInt64(), monthly.Str("currency"),
                monthly.Str("display"), monthly.Str("interval"), monthly.GetProperty("interval_count").GetInt32(),
                monthly.GetProperty("trial_days").GetInt32(), monthly.Str("description")));
        Assert.Equal((29000L, "year"), (prices["pro_yearly"].GetProperty("amount").GetInt64(), prices["pro_yearly"].Str("interval")));
        Assert.DoesNotContain("price_", body.ToString()); // provider ids stay inside
    }

    [Fact]
    public async Task A_sync_creates_each_product_and_price_at_Stripe_once_and_a_second_sync_changes_nothing()
    {
        await Sync();

        foreach (var product in new[] { "pro", "team" })
            Assert.Single(Stripe.Products, p => p["metadata"]!["product_id"]?.GetValue<string>() == product);
        var monthly = Assert.Single(ActiveStripePrices("pro_monthly"));
        var team = Assert.Single(ActiveStripePrices("team_monthly"));
        Assert.Single(ActiveStripePrices("pro_yearly"));
        Assert.Equal((2900L, "eur", "month", 1L, "exclusive", "recurring"),
            (monthly["unit_amount"]!.GetValue<long>(), monthly["currency"]!.GetValue<string>(), monthly["recurring"]!["interval"]!.GetValue<string>(),
                monthly["recurring"]!["interval_count"]!.GetValue<long>(), monthly["tax_behavior"]!.GetValue<string>(), monthly["type"]!.GetValue<string>()));
        var teamProduct = Stripe.Products.Single(p => p["id"]!.GetValue<string>() == team["product"]!.GetValue<string>());
        Assert.Equal(("Team", "team"), (teamProduct["name"]!.GetValue<string>(), teamProduct["metadata"]!["product_id"]!.GetValue<string>()));

        // Our rows say which Stripe objects are ours, and every create carried a key derived from our ids.
        await using (var db = App.Db())
        {
            var ours = await db.Context.CatalogPrices.AsNoTracking().SingleAsync(p => p.LookupKey == "pro_monthly" && p.ArchivedAt == null);
            var external = await db.Context.ExternalPrices.AsNoTracking().SingleAsync(e => e.Provider == "stripe" && e.PriceId == ours.Id);
            Assert.Equal(monthly["id"]!.GetValue<string>(), external.ExternalId);
            Assert.Equal(ours.Id, monthly["metadata"]!["price_id"]!.GetValue<string>());
            var create = Stripe.RequestsTo("/v1/prices").Last(r => r["lookup_key"] == "pro_monthly");
            Assert.Equal(($"catalog-price-{ours.Id}", "true"), (create.Header("Idempotency-Key"), create["transfer_lookup_key"]));
        }

        var posts = StripePosts();
        var again = await Sync();
        Assert.Empty(again.Changes);
        Assert.Equal(posts, StripePosts());
    }

    [Fact]
    public async Task A_changed_price_is_a_new_Stripe_price_with_the_lookup_key_and_the_old_one_is_archived_never_edited()
    {
        await Sync();
        var before = Assert.Single(ActiveStripePrices("pro_monthly"))["id"]!.GetValue<string>();

        var report = await Sync(With(new RawPrice("pro_monthly", "pro", "35.00 EUR", "month", null, null, null)));

        var now = Assert.Single(ActiveStripePrices("pro_monthly"));
        Assert.Equal(3500L, now["unit_amount"]!.GetValue<long>());
        var old = Stripe.Prices.Single(p => p["id"]!.GetValue<string>() == before);
        Assert.Equal((false, null, 2900L), (old["active"]!.GetValue<bool>(), old["lookup_key"]?.GetValue<string>(), old["unit_amount"]!.GetValue<long>()));
        Assert.Contains(report.Changes, c => c.ToString() == $"stripe: archived price pro_monthly ({before})");
        Assert.Contains(report.Changes, c => c.Scope == "stripe" && c.Action == "created" && c.Detail == "35.00 EUR / month");
        // Only "active" ever went to the old price: Stripe prices are not edited (the fake refuses unit_amount on an update).
        Assert.All(Stripe.RequestsTo($"/v1/prices/{before}"), r => Assert.Equal(["active"], r.Form.Select(f => f.Key)));

        await using (var db = App.Db())
        {
            var versions = await db.Context.CatalogPrices.AsNoTracking().Where(p => p.LookupKey == "pro_monthly").ToListAsync();
            Assert.Single(versions, v => v.ArchivedAt == null && v.AmountMinor == 3500);
        }

        // Back to 29.00 EUR: a version of its own again, at Stripe too (the 35.00 price archived).
        await Sync();
        Assert.Equal(2900L, Assert.Single(ActiveStripePrices("pro_monthly"))["unit_amount"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_price_taken_off_sale_is_archived_everywhere_and_the_dummy_keeps_the_same_catalog()
    {
        await Sync(With(new RawPrice("team_monthly", "team", "99.00 EUR", "month", null, null, "false")));
        Assert.Empty(ActiveStripePrices("team_monthly"));
        var dummy = App.Get<DummyProvider>();
        var dummyPrices = await dummy.PricesAsync(CancellationToken.None);
        Assert.DoesNotContain(dummyPrices, p => p.Price.Active && p.Price.LookupKey == "team_monthly");
        Assert.Single(dummyPrices, p => p.Price.Active && p.Price.LookupKey == "pro_yearly" && p.Price.AmountMinor == 29000 && p.Price.Interval == "year");

        await Sync();
        Assert.Single(ActiveStripePrices("team_monthly"));
        Assert.Single(await dummy.PricesAsync(CancellationToken.None), p => p.Price.Active && p.Price.LookupKey == "team_monthly");
    }

    [Fact]
    public async Task A_provider_that_refuses_is_reported_and_the_others_still_get_the_catalog()
    {
        await Sync();
        Stripe.Fail("/v1/prices", 1, 400, type: "invalid_request_error", code: "parameter_invalid");
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var weekly = With(new RawPrice("pro_weekly", "pro", "9.00 EUR", "week", null, null, null));
            var report = await ActivatorUtilities.CreateInstance<CatalogSync>(scope.ServiceProvider, weekly).RunAsync(null, CancellationToken.None);
            Assert.Equal("stripe", Assert.Single(report.Failures).Provider);
            Assert.Contains(report.Changes, c => c.Scope == "dummy" && c.Action == "created" && c.Key == "pro_weekly");
        }
        await Sync(With(new RawPrice("pro_weekly", "pro", "9.00 EUR", "week", null, null, null))); // the retry gets Stripe there too
        Assert.Single(ActiveStripePrices("pro_weekly"));
        await Sync();
        Assert.Empty(ActiveStripePrices("pro_weekly"));
    }
}

public sealed class CatalogSyncTests_Sqlite(BillingSqliteApp app) : CatalogSyncTests<BillingSqliteApp>(app);

public sealed class CatalogSyncTests_Postgres(BillingPostgresApp app) : CatalogSyncTests<BillingPostgresApp>(app);
