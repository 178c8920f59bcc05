using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Vendors;

/// <summary>The "done when", on the dummy provider only, on both engines.</summary>
public abstract class MarketplaceDummyTests<TApp>(TApp fixture) where TApp : AppFixture
{
    private PaymentsApp App => fixture.App;

    [Fact]
    public async Task A_vendor_order_of_100_EUR_at_2_5_percent_pays_97_50_to_the_vendor_and_2_50_in_fees_and_half_a_refund_takes_back_48_75_and_1_25()
    {
        var vendorId = await Marketplace.CreateVendor(App);
        var other = await Marketplace.CreateVendor(App, "Other Vendor");
        await Marketplace.OnboardOnDummy(App, vendorId);
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var config = await (await vera.GetAsync("/api/v1/vendor/payments/config")).Body();
        Assert.Equal("active", config.Str("account_status"));
        Assert.True(config.GetProperty("accepts_payments").GetBoolean());
        Assert.Equal(250, config.GetProperty("platform_fee_bps").GetInt32());

        var (_, serviceKey) = await Marketplace.ServiceKey(App);
        using var shop = App.Client().As(serviceKey);
        var orderId = "o-" + Guid.NewGuid().ToString("N")[..8];
        var started = await shop.PostJson($"/api/v1/platform/vendors/{vendorId}/payments/create-intent",
            new { order_id = orderId, amount = 10000, currency = "EUR", customer_email = "c@example.com", customer_id = "c-1" });
        Assert.Equal(200, (int)started.StatusCode);
        var intent = await started.Body();
        Assert.Equal(10000, intent.GetProperty("amount_total").GetInt64());
        Assert.Equal(9750, intent.GetProperty("amount_vendor").GetInt64());
        Assert.Equal(250, intent.GetProperty("platform_fee").GetInt64());
        var paymentId = intent.Str("payment_id");

        var fees0 = Marketplace.Balance(await (await App.Client().As(Credentials.AdminKey).GetAsync("/api/v1/platform/fees")).Body(), "EUR");
        (await App.Client().PayDummy(intent.Str("provider_payment_id"))).Dispose();

        Assert.Equal(9750, Marketplace.Balance(await (await vera.GetAsync("/api/v1/vendor/balance")).Body(), "EUR"));
        using var admin = App.Client().As(Credentials.AdminKey);
        Assert.Equal(fees0 + 250, Marketplace.Balance(await (await admin.GetAsync("/api/v1/platform/fees")).Body(), "EUR"));

        var refund = await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 5000 });
        Assert.Equal(200, (int)refund.StatusCode);
        Assert.Equal(9750 - 4875, Marketplace.Balance(await (await vera.GetAsync("/api/v1/vendor/balance")).Body(), "EUR"));
        Assert.Equal(fees0 + 250 - 125, Marketplace.Balance(await (await admin.GetAsync("/api/v1/platform/fees")).Body(), "EUR"));

        var mine = await (await vera.GetAsync($"/api/v1/vendor/payments/{paymentId}")).Body();
        Assert.Equal("partially_refunded", mine.Str("status"));
        Assert.Equal(5000, mine.GetProperty("refunded").GetInt64());

        // Another vendor sees none of it.
        using var otto = App.Client().As(Marketplace.VendorJwt("otto", other));
        Assert.Equal(404, (int)(await otto.GetAsync($"/api/v1/vendor/payments/{paymentId}")).StatusCode);
        Assert.Empty((await (await otto.GetAsync("/api/v1/vendor/payments")).Body()).GetProperty("items").EnumerateArray());
        Assert.Equal(0, Marketplace.Balance(await (await otto.GetAsync("/api/v1/vendor/balance")).Body(), "EUR"));

        // Refunding the rest returns exactly the fee and the vendor's share.
        Assert.Equal(200, (int)(await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 5000 })).StatusCode);
        Assert.Equal(0, Marketplace.Balance(await (await vera.GetAsync("/api/v1/vendor/balance")).Body(), "EUR"));
        Assert.Equal(fees0, Marketplace.Balance(await (await admin.GetAsync("/api/v1/platform/fees")).Body(), "EUR"));
        await AssertEveryMarketTransactionBalances();
    }

    [Fact]
    public async Task A_vendor_that_has_not_finished_onboarding_gets_409_vendor_not_ready()
    {
        var vendorId = await Marketplace.CreateVendor(App);
        var (_, serviceKey) = await Marketplace.ServiceKey(App);
        using var shop = App.Client().As(serviceKey);
        var before = await shop.PostJson($"/api/v1/platform/vendors/{vendorId}/payments/create-intent", new { order_id = "o-1", amount = 100, currency = "EUR" });
        Assert.Equal(409, (int)before.StatusCode);
        Assert.Equal("vendor_not_ready", (await before.Body()).Str("code"));

        await Marketplace.OnboardOnDummy(App, vendorId, "restricted");
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var config = await (await vera.GetAsync("/api/v1/vendor/payments/config")).Body();
        Assert.Equal("restricted", config.Str("account_status"));
        Assert.True(config.GetProperty("needs_onboarding").GetBoolean());
        var restricted = await shop.PostJson($"/api/v1/platform/vendors/{vendorId}/payments/create-intent", new { order_id = "o-1", amount = 100, currency = "EUR" });
        Assert.Equal("vendor_not_ready", (await restricted.Body()).Str("code"));
    }

    [Fact]
    public async Task Only_the_service_key_may_price_a_vendor_order_and_one_order_is_one_payment()
    {
        var vendorId = await Marketplace.CreateVendor(App);
        await Marketplace.OnboardOnDummy(App, vendorId);
        var body = new { order_id = "o-once", amount = 1999, currency = "EUR" };
        var path = $"/api/v1/platform/vendors/{vendorId}/payments/create-intent";
        foreach (var bearer in new[] { null, Credentials.Jwt("alice"), Marketplace.VendorJwt("vera", vendorId), (await Marketplace.VendorKey(App, vendorId)).Secret })
        {
            using var client = App.Client().As(bearer);
            Assert.Equal(403, (int)(await client.PostJson(path, body)).StatusCode);
        }
        using var shop = App.Client().As((await Marketplace.ServiceKey(App)).Secret);
        var first = await (await shop.PostJson(path, body)).Body();
        var again = await (await shop.PostJson(path, body)).Body();
        Assert.Equal(first.Str("payment_id"), again.Str("payment_id"));
        Assert.True(again.GetProperty("repeated").GetBoolean());
        Assert.Equal(49, first.GetProperty("platform_fee").GetInt64()); // floor(1999 × 250 / 10 000) = 49
        var otherAmount = await shop.PostJson(path, new { order_id = "o-once", amount = 2000, currency = "EUR" });
        Assert.Equal(409, (int)otherAmount.StatusCode);
    }

    private async Task AssertEveryMarketTransactionBalances()
    {
        await using var db = App.Db();
        var sums = db.Context.MarketEntries.AsEnumerable().GroupBy(e => e.TransactionId).Select(g => g.Sum(e => e.Amount)).ToList();
        Assert.NotEmpty(sums);
        Assert.All(sums, s => Assert.Equal(0, s));
    }
}

public sealed class MarketplaceDummyTests_Sqlite(SqliteAuthApp app) : MarketplaceDummyTests<SqliteAuthApp>(app), IClassFixture<SqliteAuthApp>;

public sealed class MarketplaceDummyTests_Postgres(PostgresAuthApp app) : MarketplaceDummyTests<PostgresAuthApp>(app), IClassFixture<PostgresAuthApp>;
