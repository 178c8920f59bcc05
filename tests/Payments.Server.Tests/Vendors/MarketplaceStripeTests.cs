using System.Net;
using System.Net.Http.Json;
using Payments.Server.Data;
using Payments.Server.Tests.Fakes.Stripe;
using Payments.Server.Tests.Stripe;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Vendors;

/// <summary>The service with Stripe and its Connect endpoint's secret, against the fake Stripe.</summary>
public abstract class StripeConnectApp(DatabaseKind engine) : StripeApp(engine)
{
    protected override IReadOnlyDictionary<string, string?> Settings =>
        new Dictionary<string, string?>(base.Settings) { ["STRIPE_CONNECT_WEBHOOK_SECRET"] = Stripe.ConnectWebhookSecret };
}

public sealed class StripeConnectSqliteApp() : StripeConnectApp(DatabaseKind.Sqlite);

public sealed class StripeConnectPostgresApp() : StripeConnectApp(DatabaseKind.Postgres);

/// <summary>The "done when" against a fake Stripe speaking Connect's wire format, on both engines.</summary>
public abstract class MarketplaceStripeTests<TApp>(TApp fixture) where TApp : StripeConnectApp
{
    private PaymentsApp App => fixture.App;
    private FakeStripe Stripe => fixture.Stripe;

    [Fact]
    public async Task Setup_opens_an_Express_account_with_card_payments_and_transfers_and_every_link_is_a_fresh_onboarding_link()
    {
        var vendorId = await Marketplace.CreateVendor(App);
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var setup = await vera.PostJson("/api/v1/vendor/payments/setup", new { provider = "stripe" });
        Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
        var body = await setup.Body();
        var accountId = body.Str("account_id");
        Assert.StartsWith("acct_", accountId);
        Assert.Equal(("stripe", "pending"), (body.Str("provider"), body.Str("account_status")));
        Assert.StartsWith($"https://connect.stripe.com/setup/e/{accountId}/", body.Str("onboarding_url"));

        var account = Stripe.Account(accountId)!;
        Assert.Equal("express", account["type"]!.GetValue<string>());
        Assert.Equal("express", account["controller"]!["stripe_dashboard"]!["type"]!.GetValue<string>());
        Assert.Equal(["card_payments", "transfers"], account["capabilities"]!.AsObject().Select(c => c.Key).Order());
        Assert.Equal(vendorId, account["metadata"]!["vendor_id"]!.GetValue<string>());
        Assert.Equal(("DE", "eur"), (account["country"]!.GetValue<string>(), account["default_currency"]!.GetValue<string>()));
        var create = Stripe.RequestsTo("/v1/accounts").Single(r => r["metadata[vendor_id]"] == vendorId);
        Assert.Equal($"{vendorId}-account", create.Header("Idempotency-Key"));

        var again = await (await vera.PostJson("/api/v1/vendor/payments/onboarding-link", new { })).Body();
        Assert.NotEqual(body.Str("onboarding_url"), again.Str("onboarding_url"));
        var links = Stripe.RequestsTo("/v1/account_links").Where(r => r["account"] == accountId).ToList();
        Assert.Equal(2, links.Count);
        Assert.All(links, l => Assert.Equal("account_onboarding", l["type"]));
        Assert.All(links, l => Assert.EndsWith("/vendor?onboarding=refresh", l["refresh_url"]));
        var config = await (await vera.GetAsync("/api/v1/vendor/payments/config")).Body();
        Assert.Equal("pending", config.Str("account_status"));
        Assert.False(config.GetProperty("accepts_payments").GetBoolean());
    }

    [Fact]
    public async Task Account_updated_counts_only_when_signed_with_the_Connect_secret_and_an_older_event_does_not_undo_a_newer_one()
    {
        var vendorId = await Marketplace.CreateVendor(App);
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var accountId = (await (await vera.PostJson("/api/v1/vendor/payments/setup", new { provider = "stripe" })).Body()).Str("account_id");
        var older = Stripe.Onboard(accountId, completed: false, created: DateTimeOffset.UtcNow.AddMinutes(-10));
        var newer = Stripe.Onboard(accountId);

        using (var forged = await Stripe.DeliverConnectAsync(newer, secret: Stripe.WebhookSecret))
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("pending", await StatusOf(vera));

        using (var delivered = await Stripe.DeliverConnectAsync(newer)) Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal("active", await StatusOf(vera));
        using (var late = await Stripe.DeliverConnectAsync(older))
        {
            Assert.Equal(HttpStatusCode.OK, late.StatusCode);
            Assert.Equal("stale", (await late.Body()).Str("outcome"));
        }
        var config = await (await vera.GetAsync("/api/v1/vendor/payments/config")).Body();
        Assert.Equal("active", config.Str("account_status"));
        Assert.True(config.GetProperty("accepts_payments").GetBoolean());
    }

    [Fact]
    public async Task Account_updated_that_arrives_before_our_account_row_is_kept_and_setup_then_shows_the_vendor_active()
    {
        var vendorId = await Marketplace.CreateVendor(App);
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        // Stripe creates the account but every answer is lost: our side knows nothing of it yet.
        Stripe.Drop("/v1/accounts", 3, afterProcessing: true);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await vera.PostJson("/api/v1/vendor/payments/setup", new { provider = "stripe" })).StatusCode);
        Assert.Equal("not_configured", await StatusOf(vera));
        var accountId = Stripe.AccountIdOfVendor(vendorId)!;

        using (var early = await Stripe.DeliverConnectAsync(Stripe.Onboard(accountId)))
            Assert.Equal(HttpStatusCode.OK, early.StatusCode);

        var setup = await (await vera.PostJson("/api/v1/vendor/payments/setup", new { provider = "stripe" })).Body();
        Assert.Equal((accountId, "active"), (setup.Str("account_id"), setup.Str("account_status")));
        Assert.Equal("active", await StatusOf(vera));
    }

    [Fact]
    public async Task A_100_EUR_order_at_250_bps_sends_9750_to_the_account_keeps_250_and_half_a_refund_reverses_the_transfer_and_the_fee()
    {
        var vendorId = await Marketplace.CreateVendor(App);
        var other = await Marketplace.CreateVendor(App, "Other Vendor");
        var accountId = await OnboardOnStripe(vendorId);
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        using var admin = App.Client().As(Credentials.AdminKey);
        using var shop = App.Client().As((await Marketplace.ServiceKey(App)).Secret);

        var intent = await (await shop.PostJson($"/api/v1/platform/vendors/{vendorId}/payments/create-intent",
            new { order_id = "o-" + Guid.NewGuid().ToString("N")[..8], amount = 10000, currency = "EUR", customer_email = "c@example.com" })).Body();
        Assert.Equal((10000L, 9750L, 250L), (intent.GetProperty("amount_total").GetInt64(), intent.GetProperty("amount_vendor").GetInt64(),
            intent.GetProperty("platform_fee").GetInt64()));
        var (paymentId, sessionId) = (intent.Str("payment_id"), intent.Str("provider_payment_id"));
        Assert.Equal(new FakeDestination(accountId, 250), Stripe.DestinationOf(sessionId));

        var fees0 = await Fees(admin);
        foreach (var e in Stripe.Pay(sessionId))
        {
            using var delivered = await Stripe.DeliverAsync(e);
            Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        }
        Assert.Equal(9750, Marketplace.Balance(await (await vera.GetAsync("/api/v1/vendor/balance")).Body(), "EUR"));
        Assert.Equal(fees0 + 250, await Fees(admin));

        Assert.Equal(HttpStatusCode.OK, (await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 5000 })).StatusCode);
        var reversal = Stripe.Reversals.Last();
        Assert.Equal((5000L, true, true), (reversal.Amount, reversal.ReverseTransfer, reversal.RefundApplicationFee));
        // Stripe's charge.refunded reports the same refund again: nothing more is taken back.
        using (var reported = await Stripe.DeliverAsync(Stripe.LastEvent("charge.refunded")))
            Assert.Equal(HttpStatusCode.OK, reported.StatusCode);
        Assert.Equal(9750 - 4875, Marketplace.Balance(await (await vera.GetAsync("/api/v1/vendor/balance")).Body(), "EUR"));
        Assert.Equal(fees0 + 250 - 125, await Fees(admin));

        using var otto = App.Client().As(Marketplace.VendorJwt("otto", other));
        Assert.Equal(HttpStatusCode.NotFound, (await otto.GetAsync($"/api/v1/vendor/payments/{paymentId}")).StatusCode);
        Assert.Empty((await (await otto.GetAsync("/api/v1/vendor/payments")).Body()).GetProperty("items").EnumerateArray());
        Assert.Equal(0, Marketplace.Balance(await (await otto.GetAsync("/api/v1/vendor/balance")).Body(), "EUR"));
    }

    [Fact]
    public async Task An_embedded_vendor_payment_is_a_destination_PaymentIntent_and_its_full_refund_returns_exactly_the_split()
    {
        var vendorId = await Marketplace.CreateVendor(App);
        var accountId = await OnboardOnStripe(vendorId);
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        using var admin = App.Client().As(Credentials.AdminKey);
        using var shop = App.Client().As((await Marketplace.ServiceKey(App)).Secret);
        var intent = await (await shop.PostJson($"/api/v1/platform/vendors/{vendorId}/payments/create-intent",
            new { order_id = "o-" + Guid.NewGuid().ToString("N")[..8], amount = 1999, currency = "EUR", mode = "embedded" })).Body();
        var intentId = intent.Str("provider_payment_id");
        Assert.StartsWith("pi_", intentId);
        Assert.StartsWith(intentId + "_secret_", intent.Str("client_secret"));
        Assert.Equal(new FakeDestination(accountId, 49), Stripe.DestinationOf(intentId)); // floor(1999 × 250 / 10 000)

        var fees0 = await Fees(admin);
        using (var paid = await Stripe.DeliverAsync(Stripe.Confirm(intentId))) Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal(1950, Marketplace.Balance(await (await vera.GetAsync("/api/v1/vendor/balance")).Body(), "EUR"));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostJson("/api/v1/payment/refund", new { payment_id = intent.Str("payment_id") })).StatusCode);
        Assert.Equal((1999L, true, true), (Stripe.Reversals.Last().Amount, Stripe.Reversals.Last().ReverseTransfer, Stripe.Reversals.Last().RefundApplicationFee));
        Assert.Equal(0, Marketplace.Balance(await (await vera.GetAsync("/api/v1/vendor/balance")).Body(), "EUR"));
        Assert.Equal(fees0, await Fees(admin));
    }

    [Fact]
    public async Task The_payout_schedule_goes_to_the_accounts_payout_settings_and_the_minimum_payout_stays_ours()
    {
        var vendorId = await Marketplace.CreateVendor(App);
        var accountId = await OnboardOnStripe(vendorId);
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var put = await vera.PutAsJsonAsync("/api/v1/vendor/payments/config",
            new { payout_schedule = "weekly", weekly_anchor = "friday", minimum_payout = 0 }, Json.Options);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var schedule = Stripe.Account(accountId)!["settings"]!["payouts"]!["schedule"]!;
        Assert.Equal(("weekly", "friday"), (schedule["interval"]!.GetValue<string>(), schedule["weekly_anchor"]!.GetValue<string>()));

        await vera.PutAsJsonAsync("/api/v1/vendor/payments/config", new { payout_schedule = "monthly", monthly_anchor = 15 }, Json.Options);
        schedule = Stripe.Account(accountId)!["settings"]!["payouts"]!["schedule"]!;
        Assert.Equal(("monthly", 15), (schedule["interval"]!.GetValue<string>(), schedule["monthly_anchor"]!.GetValue<int>()));

        // With a minimum, Stripe gets a manual schedule and our PayoutWorker keeps the vendor's (docs/decisions.md "Minimum payouts are ours").
        put = await vera.PutAsJsonAsync("/api/v1/vendor/payments/config", new { payout_schedule = "monthly", monthly_anchor = 15, minimum_payout = 5000 }, Json.Options);
        var view = await put.Body();
        Assert.Equal((5000L, "monthly"), (view.GetProperty("minimum_payout").GetInt64(), view.Str("payout_schedule")));
        Assert.Equal("manual", Stripe.Account(accountId)!["settings"]!["payouts"]!["schedule"]!["interval"]!.GetValue<string>());
        Assert.All(Stripe.RequestsTo($"/v1/accounts/{accountId}"), r => Assert.DoesNotContain(r.Form, p => p.Key.Contains("minimum")));
    }

    /// <summary>Setup at Stripe, onboarding finished there, and its account.updated delivered to the Connect endpoint.</summary>
    private async Task<string> OnboardOnStripe(string vendorId)
    {
        using var vendor = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var accountId = (await (await vendor.PostJson("/api/v1/vendor/payments/setup", new { provider = "stripe" })).Body()).Str("account_id");
        using var delivered = await Stripe.DeliverConnectAsync(Stripe.Onboard(accountId));
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal("active", await StatusOf(vendor));
        return accountId;
    }

    private static async Task<string> StatusOf(HttpClient vendor) =>
        (await (await vendor.GetAsync("/api/v1/vendor/payments/config")).Body()).Str("account_status");

    private static async Task<long> Fees(HttpClient admin) =>
        Marketplace.Balance(await (await admin.GetAsync("/api/v1/platform/fees")).Body(), "EUR");
}

public sealed class MarketplaceStripeTests_Sqlite(StripeConnectSqliteApp app)
    : MarketplaceStripeTests<StripeConnectSqliteApp>(app), IClassFixture<StripeConnectSqliteApp>;

public sealed class MarketplaceStripeTests_Postgres(StripeConnectPostgresApp app)
    : MarketplaceStripeTests<StripeConnectPostgresApp>(app), IClassFixture<StripeConnectPostgresApp>;
