using System.Net;
using System.Text.Json.Nodes;
using Payments.Server.Tests.Fakes.Stripe;
using Payments.Server.Tests.Stripe;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Wallets;

/// <summary>What people see of the wallets: the storefront's buttons and form, receipts and the dashboard naming the wallet, and Apple's file.</summary>
public abstract class WalletPagesTests<TApp>(TApp fixture) : StripeFlowTestsBase<TApp>(fixture) where TApp : WalletApp
{
    /// <summary>A Google Pay payment paid through the storefront's wallet form, settled by Stripe's webhook.</summary>
    private async Task<string> PaidThroughTheStorefront(HttpClient browser)
    {
        using var posted = await browser.SubmitForm("/", "/payments/checkout",
            ("plan", "basic"), ("provider", "googlepay"), ("wallet_token", Stripe.GooglePayPaymentData()));
        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        var thanks = posted.Headers.Location!.ToString();
        Assert.StartsWith("/payments/thanks?payment_id=pay_", thanks);
        var paymentId = thanks["/payments/thanks?payment_id=".Length..];
        var succeeded = Stripe.Events.Last(e => e.Type == "payment_intent.succeeded"
                                                && JsonNode.Parse(e.Body)!["data"]!["object"]!["metadata"]!["payment_id"]!.GetValue<string>() == paymentId);
        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(succeeded));
        return paymentId;
    }

    [Fact]
    public async Task The_storefront_offers_wallet_buttons_beside_each_plan_and_allows_only_their_scripts()
    {
        using var browser = App.Client();

        using var page = await browser.GetAsync("/");

        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<script src=\"/static/wallets.js\" defer></script>", html);
        Assert.Contains("data-google-pay=\"TEST\"", html);
        Assert.Contains($"data-google-merchant-id=\"{WalletApp.GoogleMerchantId}\"", html);
        Assert.Contains("data-apple-pay=\"on\"", html);
        Assert.Contains("data-stripe-key=\"pk_test_fake\"", html);
        Assert.Contains("data-country=\"DK\"", html);
        Assert.Contains("<div class=\"wallet-buttons\" data-plan=\"basic\" data-label=\"Basic plan\" data-amount=\"19.00\" data-currency=\"EUR\" data-stripe-amount=\"1900\">", html);
        Assert.Contains("<form id=\"wallet-form\" method=\"post\" action=\"/payments/checkout\" hidden>", html);
        // Wallets are buttons of their own, not a provider to choose before "Pay now".
        Assert.DoesNotContain("value=\"googlepay\"", html);
        Assert.DoesNotContain("value=\"applepay\"", html);
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self' https://pay.google.com https://js.stripe.com;", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
    }

    [Fact]
    public async Task The_storefronts_wallet_form_charges_the_token_and_the_paid_page_and_receipts_name_the_wallet()
    {
        using var browser = App.Client();
        var paymentId = await PaidThroughTheStorefront(browser);

        var thanks = await (await browser.GetAsync($"/payments/thanks?payment_id={paymentId}")).Content.ReadAsStringAsync();
        Assert.Contains("<dt>Paid with</dt><dd>Google Pay</dd>", thanks);
        Assert.Contains("<dt>Wallet</dt><dd>Google Pay</dd>", thanks);

        using var admin = App.Client().As(Credentials.AdminKey);
        var receipt = await (await admin.GetAsync($"/api/v1/payment/receipt/{paymentId}")).Body();
        Assert.Equal(("googlepay", "google_pay"), (receipt.Str("provider"), receipt.Str("wallet")));
        var receiptHtml = await (await admin.GetAsync($"/api/v1/payment/receipt/{paymentId}/html")).Content.ReadAsStringAsync();
        Assert.Contains("<th>Wallet</th><td data-field=\"wallet\"><bdi>Google Pay</bdi></td>", receiptHtml);
    }

    [Fact]
    public async Task The_admin_payment_page_shows_which_wallet_paid()
    {
        using var browser = App.Client();
        var paymentId = await PaidThroughTheStorefront(browser);
        using var admin = App.Client();
        using (var signIn = await admin.SubmitForm("/admin/sign-in", "/admin/sign-in", ("credential", Credentials.AdminKey)))
            Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);

        var page = await (await admin.GetAsync($"/admin/payments/{paymentId}")).Content.ReadAsStringAsync();

        Assert.Contains("<dt>Wallet</dt><dd data-wallet=\"google_pay\">Google Pay</dd>", page);
    }

    [Fact]
    public async Task A_failed_wallet_payment_is_not_offered_again_with_the_same_wallet_from_the_thanks_page()
    {
        using var browser = App.Client();
        using var posted = await browser.SubmitForm("/", "/payments/checkout",
            ("plan", "basic"), ("provider", "applepay"), ("wallet_token", Stripe.WalletToken("apple_pay", WalletOutcome.Declined)));
        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);

        var thanks = await (await browser.GetAsync(posted.Headers.Location!.ToString())).Content.ReadAsStringAsync();

        // The wallet needs a new token from the buyer's wallet: back to the plans, not a form that would post no token.
        Assert.Contains("<a href=\"/\">Choose a plan</a>", thanks);
        Assert.DoesNotContain("value=\"applepay\"", thanks);
    }

    [Fact]
    public async Task The_Apple_Pay_domain_association_file_is_served_exactly_as_configured()
    {
        using var http = App.Client();

        using var response = await http.GetAsync("/.well-known/apple-developer-merchantid-domain-association");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Stripe.DomainAssociationFile, await response.Content.ReadAsStringAsync());
    }
}

public sealed class WalletPagesTests_Sqlite(WalletSqliteApp app) : WalletPagesTests<WalletSqliteApp>(app);

public sealed class WalletPagesTests_Postgres(WalletPostgresApp app) : WalletPagesTests<WalletPostgresApp>(app);

/// <summary>With Stripe but no wallet switched on, nothing of them shows.</summary>
public sealed class WithoutWalletsTests(StripeSqliteApp fixture) : IClassFixture<StripeSqliteApp>
{
    [Fact]
    public async Task Without_Apple_Pay_the_association_path_is_404_and_the_storefront_loads_no_wallet_script()
    {
        using var http = fixture.App.Client();

        using var file = await http.GetAsync("/.well-known/apple-developer-merchantid-domain-association");
        using var page = await http.GetAsync("/");

        Assert.Equal(HttpStatusCode.NotFound, file.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("wallets.js", html);
        Assert.DoesNotContain("wallet-buttons", html);
        Assert.Equal(global::Payments.Server.Hosting.Html.ContentSecurityPolicy, page.Headers.GetValues("Content-Security-Policy").Single());
    }
}
