using System.Net;
using System.Net.Http.Json;
using Payments.Server.Features.Vendors;
using Payments.Server.Tests.Fakes.Stripe;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Vendors;

/// <summary>Saved payment methods and payouts (issue 14 items 5 and 6) on Stripe, against the fake Stripe, on both engines.</summary>
public abstract class StripeVendorExtrasTests<TApp>(TApp fixture) where TApp : StripeConnectApp
{
    private PaymentsApp App => fixture.App;
    private FakeStripe Stripe => fixture.Stripe;

    private static string Order() => "o-" + Guid.NewGuid().ToString("N")[..8];
    private static string CreateIntent(string vendorId) => $"/api/v1/platform/vendors/{vendorId}/payments/create-intent";

    [Fact]
    public async Task A_saving_checkout_sends_one_platform_customer_and_setup_future_usage_off_session_with_the_destination()
    {
        var (vendorId, accountId) = await StripeVendor();
        using var shop = await Shop();
        var (sessionId, _) = await SaveCard(shop, vendorId, "cus-1");
        var customer = Stripe.CustomerOfSession(sessionId)!;
        var session = Stripe.RequestsTo("/v1/checkout/sessions").Single(r => r["customer"] == customer);
        Assert.Equal("off_session", session["payment_intent_data[setup_future_usage]"]);
        Assert.Equal(accountId, session["payment_intent_data[transfer_data][destination]"]);
        Assert.Null(session["customer_email"]); // Stripe takes customer or customer_email, never both

        var created = Stripe.RequestsTo("/v1/customers").Single(r => r["metadata[vendor_id]"] == vendorId);
        Assert.Equal(("cus-1", "c@example.com"), (created["metadata[customer_id]"], created["email"]));
        Assert.Equal($"{vendorId}-customer-cus-1", created.Header("Idempotency-Key"));
        var (again, _) = await SaveCard(shop, vendorId, "cus-1", "pm_card_mastercard");
        Assert.Equal(customer, Stripe.CustomerOfSession(again)); // the same customer, created once
        Assert.Single(Stripe.RequestsTo("/v1/customers"), r => r["metadata[vendor_id]"] == vendorId);
    }

    [Fact]
    public async Task The_list_shows_brand_last4_and_expiry_only_and_setting_the_default_and_detaching_reach_Stripe()
    {
        var (vendorId, _) = await StripeVendor();
        using var shop = await Shop();
        var (sessionId, visa) = await SaveCard(shop, vendorId, "cus-2");
        var customer = Stripe.CustomerOfSession(sessionId)!;
        var master = Stripe.AttachCard(customer, "pm_card_mastercard");
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var path = "/api/v1/vendor/customers/cus-2/payment-methods";

        var items = (await (await vera.GetAsync(path)).Body()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.All(items, m => Assert.Equal(["payment_method_id", "brand", "last4", "exp_month", "exp_year", "is_default"], m.EnumerateObject().Select(p => p.Name)));
        var card = items.Single(m => m.Str("payment_method_id") == visa);
        Assert.Equal(("visa", "4242", 12, 2034, false), (card.Str("brand"), card.Str("last4"), card.GetProperty("exp_month").GetInt32(),
            card.GetProperty("exp_year").GetInt32(), card.GetProperty("is_default").GetBoolean()));

        var made = await vera.PostJson($"{path}/{master}/default", new { });
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        Assert.Equal(master, Stripe.DefaultMethodOf(customer));
        Assert.Equal(master, Stripe.RequestsTo($"/v1/customers/{customer}").Single(r => r.Method == "POST")["invoice_settings[default_payment_method]"]);
        var listed = (await made.Body()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([(master, true), (visa, false)], listed.Select(m => (m.Str("payment_method_id"), m.GetProperty("is_default").GetBoolean())).OrderBy(m => !m.Item2));

        Assert.Equal(HttpStatusCode.NoContent, (await vera.DeleteAsync($"{path}/{visa}")).StatusCode);
        Assert.Null(Stripe.PaymentMethod(visa)!["customer"]);
        Assert.Equal([master], (await (await vera.GetAsync(path)).Body()).GetProperty("items").EnumerateArray().Select(m => m.Str("payment_method_id")));
        // Detached, it is no longer this customer's: neither made the default nor detached again.
        Assert.Equal(HttpStatusCode.NotFound, (await vera.PostJson($"{path}/{visa}/default", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await vera.DeleteAsync($"{path}/{visa}")).StatusCode);
        Assert.Single(Stripe.RequestsTo($"/v1/payment_methods/{visa}/detach"));
    }

    [Fact]
    public async Task Another_vendor_gets_404_and_its_own_customer_of_the_same_id_cannot_reach_the_card_at_Stripe()
    {
        var (vendorId, _) = await StripeVendor();
        var (other, _) = await StripeVendor();
        using var shop = await Shop();
        var (_, card) = await SaveCard(shop, vendorId, "cus-3");
        using var otto = App.Client().As(Marketplace.VendorJwt("otto", other));
        var path = "/api/v1/vendor/customers/cus-3/payment-methods";
        Assert.Equal(HttpStatusCode.NotFound, (await otto.GetAsync(path)).StatusCode);

        await SaveCard(shop, other, "cus-3", "pm_card_mastercard"); // the other vendor's own cus-3, another customer at Stripe
        Assert.Equal(HttpStatusCode.NotFound, (await otto.PostJson($"{path}/{card}/default", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otto.DeleteAsync($"{path}/{card}")).StatusCode);
        Assert.NotNull(Stripe.PaymentMethod(card)!["customer"]);
        Assert.Empty(Stripe.RequestsTo($"/v1/payment_methods/{card}/detach"));
        Assert.DoesNotContain((await (await otto.GetAsync(path)).Body()).GetProperty("items").EnumerateArray(), m => m.Str("payment_method_id") == card);
    }

    [Fact]
    public async Task An_off_session_charge_of_a_saved_card_is_a_destination_PaymentIntent_and_the_ledger_posts_the_split()
    {
        var (vendorId, accountId) = await StripeVendor();
        using var shop = await Shop();
        var (sessionId, card) = await SaveCard(shop, vendorId, "cus-4");
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var before = Marketplace.Balance(await (await vera.GetAsync("/api/v1/vendor/balance")).Body(), "EUR");

        var charged = await shop.PostJson(CreateIntent(vendorId), new { order_id = Order(), amount = 10000, currency = "EUR", customer_id = "cus-4", payment_method_id = card });
        Assert.Equal(HttpStatusCode.OK, charged.StatusCode);
        var body = await charged.Body();
        Assert.Equal("succeeded", body.Str("status"));
        var intentId = body.Str("provider_payment_id");
        Assert.Equal(new FakeDestination(accountId, 250), Stripe.DestinationOf(intentId));
        var sent = Stripe.RequestsTo("/v1/payment_intents").Single(r => r["payment_method"] == card);
        Assert.Equal(("true", "true", Stripe.CustomerOfSession(sessionId)), (sent["off_session"], sent["confirm"], sent["customer"]));
        Assert.Equal(body.Str("payment_id"), sent["metadata[payment_id]"]);
        Assert.Equal(before + 9750, Marketplace.Balance(await (await vera.GetAsync("/api/v1/vendor/balance")).Body(), "EUR"));
    }

    [Fact]
    public async Task A_declined_off_session_charge_is_a_failed_payment_answered_as_data_not_a_5xx()
    {
        var (vendorId, _) = await StripeVendor();
        using var shop = await Shop();
        var (_, card) = await SaveCard(shop, vendorId, "cus-5", "pm_card_chargeCustomerFail");
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var before = Marketplace.Balance(await (await vera.GetAsync("/api/v1/vendor/balance")).Body(), "EUR");

        var charged = await shop.PostJson(CreateIntent(vendorId), new { order_id = Order(), amount = 10000, currency = "EUR", customer_id = "cus-5", payment_method_id = card });
        Assert.Equal(HttpStatusCode.OK, charged.StatusCode);
        var body = await charged.Body();
        Assert.Equal("failed", body.Str("status"));
        Assert.StartsWith("generic_decline", body.Str("failure_reason"));
        Assert.StartsWith("pi_", body.Str("provider_payment_id"));
        Assert.Equal("failed", (await (await vera.GetAsync($"/api/v1/vendor/payments/{body.Str("payment_id")}")).Body()).Str("status"));
        Assert.Equal(before, Marketplace.Balance(await (await vera.GetAsync("/api/v1/vendor/balance")).Body(), "EUR"));
    }

    [Fact]
    public async Task The_payout_worker_pays_out_as_the_account_once_per_period_and_only_from_the_minimum()
    {
        var (vendorId, accountId) = await StripeVendor();
        await SetMinimum(vendorId, 15000);
        Stripe.SetAvailable(accountId, "eur", 1_000_000);
        await Sell(vendorId, 10000); // 97.50 to the vendor: below 150.00
        await Round();
        Assert.DoesNotContain(Stripe.Payouts, p => p.Account == accountId);

        await Sell(vendorId, 10000); // 195.00
        await Round();
        var payout = Assert.Single(Stripe.Payouts, p => p.Account == accountId);
        Assert.Equal((19500L, "eur"), (payout.Amount, payout.Currency));
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var ours = Assert.Single((await (await vera.GetAsync("/api/v1/vendor/payouts")).Body()).GetProperty("items").EnumerateArray());
        Assert.Equal((ours.Str("payout_id"), payout.Id, "pending"), (payout.IdempotencyKey, ours.Str("provider_payout_id"), ours.Str("status")));

        await Sell(vendorId, 20000);
        await Round(); // the same period: the new money waits for the next one
        Assert.Single(Stripe.Payouts, p => p.Account == accountId);
    }

    [Fact]
    public async Task What_the_account_holds_at_Stripe_caps_the_payout_and_a_capped_amount_below_the_minimum_pays_nothing()
    {
        var (vendorId, accountId) = await StripeVendor();
        var (shortVendor, shortAccount) = await StripeVendor();
        foreach (var id in new[] { vendorId, shortVendor })
        {
            await SetMinimum(id, 5000);
            await Sell(id, 10000); // 97.50 in our ledger
        }
        Stripe.SetAvailable(accountId, "eur", 6000); // the rest is not available at Stripe yet
        Stripe.SetAvailable(shortAccount, "eur", 4000);
        await Round();
        Assert.Equal(6000, Assert.Single(Stripe.Payouts, p => p.Account == accountId).Amount);
        Assert.DoesNotContain(Stripe.Payouts, p => p.Account == shortAccount);
    }

    private Task<int> Round() => App.Get<PayoutWorker>().RunOnceAsync(CancellationToken.None);

    private async Task SetMinimum(string vendorId, long minimum)
    {
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var put = await vera.PutAsJsonAsync("/api/v1/vendor/payments/config", new { payout_schedule = "daily", minimum_payout = minimum }, Json.Options);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    private async Task Sell(string vendorId, long amount)
    {
        using var shop = await Shop();
        var intent = await (await shop.PostJson(CreateIntent(vendorId), new { order_id = Order(), amount, currency = "EUR" })).Body();
        await Deliver(Stripe.Pay(intent.Str("provider_payment_id")));
    }

    /// <summary>A saving checkout for <paramref name="customerId"/>, paid with <paramref name="testMethod"/>; answers the session and the saved card.</summary>
    private async Task<(string SessionId, string MethodId)> SaveCard(HttpClient shop, string vendorId, string customerId, string testMethod = "pm_card_visa")
    {
        var started = await shop.PostJson(CreateIntent(vendorId), new
        {
            order_id = Order(), amount = 2500, currency = "EUR", customer_id = customerId, customer_email = "c@example.com", setup_future_usage = "off_session",
        });
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var sessionId = (await started.Body()).Str("provider_payment_id");
        var (events, method) = Stripe.PaySaving(sessionId, testMethod);
        await Deliver(events);
        return (sessionId, method);
    }

    private async Task Deliver(IEnumerable<FakeEvent> events)
    {
        foreach (var e in events)
        {
            using var delivered = await Stripe.DeliverAsync(e);
            Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        }
    }

    private async Task<HttpClient> Shop() => App.Client().As((await Marketplace.ServiceKey(App)).Secret);

    /// <summary>A vendor set up at Stripe with onboarding finished (as MarketplaceStripeTests does it).</summary>
    private async Task<(string VendorId, string AccountId)> StripeVendor()
    {
        var vendorId = await Marketplace.CreateVendor(App);
        using var vendor = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var accountId = (await (await vendor.PostJson("/api/v1/vendor/payments/setup", new { provider = "stripe" })).Body()).Str("account_id");
        using var delivered = await Stripe.DeliverConnectAsync(Stripe.Onboard(accountId));
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        return (vendorId, accountId);
    }
}

public sealed class StripeVendorExtrasTests_Sqlite(StripeConnectSqliteApp app)
    : StripeVendorExtrasTests<StripeConnectSqliteApp>(app), IClassFixture<StripeConnectSqliteApp>;

public sealed class StripeVendorExtrasTests_Postgres(StripeConnectPostgresApp app)
    : StripeVendorExtrasTests<StripeConnectPostgresApp>(app), IClassFixture<StripeConnectPostgresApp>;
