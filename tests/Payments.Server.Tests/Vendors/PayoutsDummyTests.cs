using Payments.Providers.Dummy;
using Payments.Server.Features.Vendors;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Vendors;

/// <summary>Payouts and the minimum payout (issue 14 item 6), on the dummy, on both engines.</summary>
public abstract class PayoutsDummyTests<TApp>(TApp fixture) where TApp : AppFixture
{
    private PaymentsApp App => fixture.App;

    private static long Available(System.Text.Json.JsonElement list) =>
        list.GetProperty("available").EnumerateArray().Where(b => b.Str("currency") == "EUR").Select(b => b.GetProperty("amount").GetInt64()).SingleOrDefault();

    private Task<int> Round() => App.Get<PayoutWorker>().RunOnceAsync(CancellationToken.None);

    private async Task Sell(string vendorId, long amount)
    {
        using var shop = App.Client().As((await Marketplace.ServiceKey(App)).Secret);
        var intent = await (await shop.PostJson($"/api/v1/platform/vendors/{vendorId}/payments/create-intent",
            new { order_id = "o-" + Guid.NewGuid().ToString("N")[..8], amount, currency = "EUR" })).Body();
        (await shop.PayDummy(intent.Str("provider_payment_id"))).Dispose();
    }

    private async Task<string> VendorWithMinimum(long minimum, string name = "Vera's Vases")
    {
        var vendorId = await Marketplace.CreateVendor(App, name);
        await Marketplace.OnboardOnDummy(App, vendorId);
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var put = await vera.PutAsync("/api/v1/vendor/payments/config",
            System.Net.Http.Json.JsonContent.Create(new { payout_schedule = "daily", minimum_payout = minimum }, options: Json.Options));
        Assert.Equal(200, (int)put.StatusCode);
        return vendorId;
    }

    [Fact]
    public async Task No_payout_is_made_below_the_minimum_and_one_is_made_when_the_available_balance_reaches_it()
    {
        var vendorId = await VendorWithMinimum(15000);
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        await Sell(vendorId, 10000); // 97.50 to the vendor: below 150.00
        await Round();
        var below = await (await vera.GetAsync("/api/v1/vendor/payouts")).Body();
        Assert.Empty(below.GetProperty("items").EnumerateArray());
        Assert.Equal(9750, Available(below));

        await Sell(vendorId, 10000); // 195.00: at or above the minimum
        await Round();
        var paid = await (await vera.GetAsync("/api/v1/vendor/payouts")).Body();
        var payout = Assert.Single(paid.GetProperty("items").EnumerateArray());
        Assert.Equal(19500, payout.GetProperty("amount").GetInt64());
        Assert.Equal("paid", payout.Str("status"));
        Assert.Equal("platform", paid.Str("managed_by"));
        Assert.Equal(0, Available(paid));
    }

    [Fact]
    public async Task A_payout_exactly_at_the_minimum_is_made_once_per_period()
    {
        var vendorId = await VendorWithMinimum(9750);
        await Sell(vendorId, 10000);
        await Round();
        await Sell(vendorId, 10000);
        await Round(); // the same day: the period is paid, the new 97.50 waits for the next one
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var list = await (await vera.GetAsync("/api/v1/vendor/payouts")).Body();
        Assert.Equal(9750, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("amount").GetInt64());
        Assert.Equal(9750, Available(list));
    }

    [Fact]
    public async Task A_minimum_puts_the_account_on_a_manual_schedule_at_the_provider_so_only_our_worker_pays_out()
    {
        var vendorId = await VendorWithMinimum(5000);
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var config = await (await vera.GetAsync("/api/v1/vendor/payments/config")).Body();
        Assert.Equal("daily", config.Str("payout_schedule"));
        var account = await App.Get<DummyProvider>().FindAccountAsync(config.Str("account_id"), CancellationToken.None);
        Assert.Equal("manual", account!.PayoutInterval);
    }

    [Fact]
    public async Task A_minimum_set_before_the_account_exists_puts_the_new_account_on_a_manual_schedule()
    {
        var vendorId = await Marketplace.CreateVendor(App);
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var put = await vera.PutAsync("/api/v1/vendor/payments/config",
            System.Net.Http.Json.JsonContent.Create(new { payout_schedule = "weekly", weekly_anchor = "friday", minimum_payout = 2000 }, options: Json.Options));
        Assert.Equal(200, (int)put.StatusCode);
        var accountId = await Marketplace.OnboardOnDummy(App, vendorId);
        Assert.Equal("manual", (await App.Get<DummyProvider>().FindAccountAsync(accountId, CancellationToken.None))!.PayoutInterval);
    }

    [Fact]
    public async Task A_vendors_payouts_are_its_own()
    {
        var vendorId = await VendorWithMinimum(100);
        var other = await VendorWithMinimum(100, "Other Vendor");
        await Sell(vendorId, 10000);
        await Round();
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        using var otto = App.Client().As(Marketplace.VendorJwt("otto", other));
        Assert.Single((await (await vera.GetAsync("/api/v1/vendor/payouts")).Body()).GetProperty("items").EnumerateArray());
        var theirs = await (await otto.GetAsync("/api/v1/vendor/payouts")).Body();
        Assert.Empty(theirs.GetProperty("items").EnumerateArray());
        Assert.Equal(other, theirs.Str("vendor_id"));
    }
}

public sealed class PayoutsDummyTests_Sqlite(SqliteAuthApp app) : PayoutsDummyTests<SqliteAuthApp>(app), IClassFixture<SqliteAuthApp>;

public sealed class PayoutsDummyTests_Postgres(PostgresAuthApp app) : PayoutsDummyTests<PostgresAuthApp>(app), IClassFixture<PostgresAuthApp>;
