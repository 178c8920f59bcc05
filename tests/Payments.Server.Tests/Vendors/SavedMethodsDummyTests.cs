using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Vendors;

/// <summary>Saved payment methods of a vendor's customers (issue 14 item 5), on the dummy, on both engines.</summary>
public abstract class SavedMethodsDummyTests<TApp>(TApp fixture) where TApp : AppFixture
{
    private PaymentsApp App => fixture.App;

    private static string Order() => "o-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A paid order of <paramref name="customerId"/> that saved <paramref name="card"/>; answers the vendor id.</summary>
    private async Task<(string VendorId, HttpClient Shop)> VendorWithSavedCard(string customerId, string card = "4242424242424242")
    {
        var vendorId = await Marketplace.CreateVendor(App);
        await Marketplace.OnboardOnDummy(App, vendorId);
        var shop = App.Client().As((await Marketplace.ServiceKey(App)).Secret);
        await SaveCard(shop, vendorId, customerId, card);
        return (vendorId, shop);
    }

    private static async Task SaveCard(HttpClient shop, string vendorId, string customerId, string card)
    {
        var started = await shop.PostJson($"/api/v1/platform/vendors/{vendorId}/payments/create-intent",
            new { order_id = Order(), amount = 2500, currency = "EUR", customer_id = customerId, setup_future_usage = "off_session" });
        Assert.Equal(200, (int)started.StatusCode);
        var page = $"/payments/simulate/{(await started.Body()).Str("provider_payment_id")}";
        var html = await (await shop.GetAsync(page)).Content.ReadAsStringAsync();
        Assert.Contains("Card to save", html);
        Assert.Equal(303, (int)(await shop.SubmitForm(page, page, ("outcome", "succeeded"), ("card", card))).StatusCode);
    }

    [Fact]
    public async Task A_card_saved_at_checkout_is_listed_with_brand_last4_and_expiry_only_and_is_the_default()
    {
        var (vendorId, shop) = await VendorWithSavedCard("cus-1");
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var list = await vera.GetAsync("/api/v1/vendor/customers/cus-1/payment-methods");
        Assert.Equal(200, (int)list.StatusCode);
        var method = Assert.Single((await list.Body()).GetProperty("items").EnumerateArray());
        Assert.Equal(["payment_method_id", "brand", "last4", "exp_month", "exp_year", "is_default"], method.EnumerateObject().Select(p => p.Name));
        Assert.Equal("visa", method.Str("brand"));
        Assert.Equal("4242", method.Str("last4"));
        Assert.True(method.GetProperty("is_default").GetBoolean());
        shop.Dispose();
    }

    [Fact]
    public async Task An_off_session_charge_of_a_saved_card_succeeds_at_once_and_posts_the_split()
    {
        var (vendorId, shop) = await VendorWithSavedCard("cus-2");
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var methodId = (await (await vera.GetAsync("/api/v1/vendor/customers/cus-2/payment-methods")).Body()).GetProperty("items")[0].Str("payment_method_id");
        var before = Marketplace.Balance(await (await vera.GetAsync("/api/v1/vendor/balance")).Body(), "EUR");

        var charged = await shop.PostJson($"/api/v1/platform/vendors/{vendorId}/payments/create-intent",
            new { order_id = Order(), amount = 10000, currency = "EUR", customer_id = "cus-2", payment_method_id = methodId });
        Assert.Equal(200, (int)charged.StatusCode);
        var body = await charged.Body();
        Assert.Equal("succeeded", body.Str("status"));
        Assert.Equal(before + 9750, Marketplace.Balance(await (await vera.GetAsync("/api/v1/vendor/balance")).Body(), "EUR"));
        shop.Dispose();
    }

    [Fact]
    public async Task A_declined_off_session_charge_is_a_failed_payment_answered_as_data_not_an_error()
    {
        var (vendorId, shop) = await VendorWithSavedCard("cus-3", card: "4000000000000341");
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var methodId = (await (await vera.GetAsync("/api/v1/vendor/customers/cus-3/payment-methods")).Body()).GetProperty("items")[0].Str("payment_method_id");
        var before = Marketplace.Balance(await (await vera.GetAsync("/api/v1/vendor/balance")).Body(), "EUR");

        var charged = await shop.PostJson($"/api/v1/platform/vendors/{vendorId}/payments/create-intent",
            new { order_id = Order(), amount = 10000, currency = "EUR", customer_id = "cus-3", payment_method_id = methodId });
        Assert.Equal(200, (int)charged.StatusCode);
        var body = await charged.Body();
        Assert.Equal("failed", body.Str("status"));
        Assert.Contains("declined", body.Str("failure_reason"));
        var row = await (await vera.GetAsync($"/api/v1/vendor/payments/{body.Str("payment_id")}")).Body();
        Assert.Equal("failed", row.Str("status"));
        Assert.Equal(before, Marketplace.Balance(await (await vera.GetAsync("/api/v1/vendor/balance")).Body(), "EUR"));
        shop.Dispose();
    }

    [Fact]
    public async Task Setting_the_default_and_detaching_change_the_list_and_a_detached_card_cannot_be_charged()
    {
        var (vendorId, shop) = await VendorWithSavedCard("cus-4");
        await SaveCard(shop, vendorId, "cus-4", "5555555555554444");
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var items = (await (await vera.GetAsync("/api/v1/vendor/customers/cus-4/payment-methods")).Body()).GetProperty("items");
        var master = items.EnumerateArray().Single(m => m.Str("brand") == "mastercard").Str("payment_method_id");
        Assert.False(items.EnumerateArray().Single(m => m.Str("brand") == "mastercard").GetProperty("is_default").GetBoolean());

        var made = await vera.PostJson($"/api/v1/vendor/customers/cus-4/payment-methods/{master}/default", new { });
        Assert.Equal(200, (int)made.StatusCode);
        Assert.True((await made.Body()).GetProperty("items").EnumerateArray().Single(m => m.Str("payment_method_id") == master).GetProperty("is_default").GetBoolean());

        Assert.Equal(204, (int)(await vera.DeleteAsync($"/api/v1/vendor/customers/cus-4/payment-methods/{master}")).StatusCode);
        var left = (await (await vera.GetAsync("/api/v1/vendor/customers/cus-4/payment-methods")).Body()).GetProperty("items");
        Assert.DoesNotContain(left.EnumerateArray(), m => m.Str("payment_method_id") == master);
        var charge = await shop.PostJson($"/api/v1/platform/vendors/{vendorId}/payments/create-intent",
            new { order_id = Order(), amount = 100, currency = "EUR", customer_id = "cus-4", payment_method_id = master });
        Assert.Equal(404, (int)charge.StatusCode);
        shop.Dispose();
    }

    [Fact]
    public async Task Another_vendor_sees_none_of_a_vendors_customers_or_cards()
    {
        var (vendorId, shop) = await VendorWithSavedCard("cus-5");
        var other = await Marketplace.CreateVendor(App, "Other Vendor");
        await Marketplace.OnboardOnDummy(App, other);
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var methodId = (await (await vera.GetAsync("/api/v1/vendor/customers/cus-5/payment-methods")).Body()).GetProperty("items")[0].Str("payment_method_id");

        using var otto = App.Client().As(Marketplace.VendorJwt("otto", other));
        Assert.Equal(404, (int)(await otto.GetAsync("/api/v1/vendor/customers/cus-5/payment-methods")).StatusCode);
        Assert.Equal(404, (int)(await otto.PostJson($"/api/v1/vendor/customers/cus-5/payment-methods/{methodId}/default", new { })).StatusCode);
        Assert.Equal(404, (int)(await otto.DeleteAsync($"/api/v1/vendor/customers/cus-5/payment-methods/{methodId}")).StatusCode);
        // The other vendor's own customer of the same id cannot reach it either, nor can a charge for the other vendor.
        await SaveCard(shop, other, "cus-5", "5555555555554444");
        Assert.Equal(404, (int)(await otto.DeleteAsync($"/api/v1/vendor/customers/cus-5/payment-methods/{methodId}")).StatusCode);
        var charge = await shop.PostJson($"/api/v1/platform/vendors/{other}/payments/create-intent",
            new { order_id = Order(), amount = 100, currency = "EUR", customer_id = "cus-5", payment_method_id = methodId });
        Assert.Equal(404, (int)charge.StatusCode);
        Assert.Single((await (await vera.GetAsync("/api/v1/vendor/customers/cus-5/payment-methods")).Body()).GetProperty("items").EnumerateArray());
        shop.Dispose();
    }

    [Fact]
    public async Task Saving_or_charging_without_a_customer_id_is_refused_with_422()
    {
        var vendorId = await Marketplace.CreateVendor(App);
        await Marketplace.OnboardOnDummy(App, vendorId);
        using var shop = App.Client().As((await Marketplace.ServiceKey(App)).Secret);
        var path = $"/api/v1/platform/vendors/{vendorId}/payments/create-intent";
        Assert.Equal(422, (int)(await shop.PostJson(path, new { order_id = Order(), amount = 100, currency = "EUR", setup_future_usage = "off_session" })).StatusCode);
        Assert.Equal(422, (int)(await shop.PostJson(path, new { order_id = Order(), amount = 100, currency = "EUR", payment_method_id = "dmpm_x" })).StatusCode);
    }
}

public sealed class SavedMethodsDummyTests_Sqlite(SqliteAuthApp app) : SavedMethodsDummyTests<SqliteAuthApp>(app), IClassFixture<SqliteAuthApp>;

public sealed class SavedMethodsDummyTests_Postgres(PostgresAuthApp app) : SavedMethodsDummyTests<PostgresAuthApp>(app), IClassFixture<PostgresAuthApp>;
