using System.Net;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Vendors;

/// <summary>The vendor page (issue 14 item 8) and the admin dashboard's vendors, on the dummy.</summary>
public class VendorPagesTests(SqliteAuthApp fixture) : IClassFixture<SqliteAuthApp>
{
    private PaymentsApp App => fixture.App;

    /// <summary>A browser (its own cookies, no redirects followed) signed in on /vendor with <paramref name="credential"/>.</summary>
    private async Task<HttpClient> SignedIn(string credential)
    {
        var browser = App.Client();
        var done = await browser.SubmitForm("/vendor/sign-in", "/vendor/sign-in", ("credential", credential));
        Assert.Equal(303, (int)done.StatusCode);
        Assert.Equal("/vendor", done.Headers.Location?.OriginalString);
        return browser;
    }

    [Fact]
    public async Task The_vendor_page_needs_a_vendor_session_and_refuses_other_credentials()
    {
        using var anonymous = App.Client();
        var page = await anonymous.GetAsync("/vendor");
        Assert.Equal(302, (int)page.StatusCode);
        Assert.StartsWith("/vendor/sign-in", page.Headers.Location?.PathAndQuery);
        using var admin = App.Client();
        Assert.Equal(401, (int)(await admin.SubmitForm("/vendor/sign-in", "/vendor/sign-in", ("credential", Credentials.AdminKey))).StatusCode);
        using var user = App.Client();
        Assert.Equal(401, (int)(await user.SubmitForm("/vendor/sign-in", "/vendor/sign-in", ("credential", Credentials.Jwt("alice")))).StatusCode);
    }

    [Fact]
    public async Task Revoking_the_vendor_key_ends_the_page_sessions_it_opened_at_once()
    {
        var vendorId = await Marketplace.CreateVendor(App, "Revoked Vendor");
        var (keyId, secret) = await Marketplace.VendorKey(App, vendorId);
        using var browser = await SignedIn(secret);
        Assert.Equal(200, (int)(await browser.GetAsync("/vendor")).StatusCode);

        using (var admin = App.Client().As(Credentials.AdminKey))
            (await admin.DeleteAsync($"/api/v1/admin/api-keys/{keyId}")).EnsureSuccessStatusCode();

        var after = await browser.GetAsync("/vendor");
        Assert.Equal(302, (int)after.StatusCode);
        Assert.StartsWith("/vendor/sign-in", after.Headers.Location?.PathAndQuery);
    }

    [Fact]
    public async Task A_vendor_onboards_from_its_page_and_returns_to_it_with_the_status_the_provider_reported()
    {
        var vendorId = await Marketplace.CreateVendor(App, "Page Vendor");
        using var browser = await SignedIn(Marketplace.VendorJwt("vera", vendorId));
        var before = await (await browser.GetAsync("/vendor")).Content.ReadAsStringAsync();
        Assert.Contains("<strong id=\"account-status\">not_configured</strong>", before);

        var start = await browser.SubmitForm("/vendor", "/vendor/onboarding");
        Assert.Equal(303, (int)start.StatusCode);
        var onboarding = start.Headers.Location!.PathAndQuery;
        Assert.StartsWith("/payments/simulate/onboarding/", onboarding);
        var back = await browser.PostAsync(onboarding, new FormUrlEncodedContent([new("outcome", "completed")]));
        Assert.Equal(303, (int)back.StatusCode);
        Assert.Equal("/vendor?onboarding=returned", back.Headers.Location!.OriginalString);

        var after = await (await browser.GetAsync(back.Headers.Location.OriginalString)).Content.ReadAsStringAsync();
        Assert.Contains("<strong id=\"account-status\">active</strong>", after);
        Assert.Contains("Back from onboarding", after);
    }

    [Fact]
    public async Task The_payout_form_saves_the_schedule_and_a_minimum_in_major_units_and_the_page_shows_payments_with_their_split()
    {
        var vendorId = await Marketplace.CreateVendor(App, "Split Vendor");
        await Marketplace.OnboardOnDummy(App, vendorId);
        using var shop = App.Client().As((await Marketplace.ServiceKey(App)).Secret);
        var intent = await (await shop.PostJson($"/api/v1/platform/vendors/{vendorId}/payments/create-intent",
            new { order_id = "o-page", amount = 10000, currency = "EUR" })).Body();
        (await shop.PayDummy(intent.Str("provider_payment_id"))).Dispose();

        using var browser = await SignedIn((await Marketplace.VendorKey(App, vendorId)).Secret);
        var saved = await browser.SubmitForm("/vendor", "/vendor/payouts",
            ("payout_schedule", "weekly"), ("weekly_anchor", "friday"), ("monthly_anchor", "1"), ("minimum_payout", "50.00"));
        Assert.Equal(303, (int)saved.StatusCode);
        using var vera = App.Client().As(Marketplace.VendorJwt("vera", vendorId));
        var config = await (await vera.GetAsync("/api/v1/vendor/payments/config")).Body();
        Assert.Equal("weekly", config.Str("payout_schedule"));
        Assert.Equal("friday", config.Str("payout_weekly_anchor"));
        Assert.Equal(5000, config.GetProperty("minimum_payout").GetInt64());

        var bad = await browser.SubmitForm("/vendor", "/vendor/payouts", ("payout_schedule", "hourly"), ("minimum_payout", "1"));
        Assert.Equal(422, (int)bad.StatusCode);

        var html = WebUtility.HtmlDecode(await (await browser.GetAsync("/vendor")).Content.ReadAsStringAsync());
        Assert.Contains(intent.Str("payment_id"), html);
        Assert.Contains("<td>100.00 EUR</td><td>97.50 EUR</td><td>2.50 EUR</td>", html);
        Assert.Contains("<td>97.50 EUR</td>", html); // balance
    }

    [Fact]
    public async Task The_admin_dashboard_lists_vendors_and_each_vendor_payments_split()
    {
        var vendorId = await Marketplace.CreateVendor(App, "Dashboard Vendor");
        await Marketplace.OnboardOnDummy(App, vendorId);
        using var shop = App.Client().As((await Marketplace.ServiceKey(App)).Secret);
        var intent = await (await shop.PostJson($"/api/v1/platform/vendors/{vendorId}/payments/create-intent",
            new { order_id = "o-admin", amount = 1999, currency = "EUR" })).Body();

        using var admin = App.Client();
        Assert.Equal(303, (int)(await admin.SubmitForm("/admin/sign-in", "/admin/sign-in", ("credential", Credentials.AdminKey))).StatusCode);
        var html = WebUtility.HtmlDecode(await (await admin.GetAsync("/admin/vendors")).Content.ReadAsStringAsync());
        Assert.Contains("Dashboard Vendor", html);
        Assert.Contains(vendorId, html);
        // floor(1999 × 250 / 10 000) = 49: 19.99 = 19.50 to the vendor + 0.49 fee.
        Assert.Contains($"{intent.Str("payment_id")}</code></a></td><td>Dashboard Vendor</td><td>o-admin</td><td>pending</td><td>19.99 EUR</td><td>19.50 EUR</td><td>0.49 EUR</td>", html);
    }
}
