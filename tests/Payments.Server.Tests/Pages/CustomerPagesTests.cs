using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Payments.Core.Payments;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Pages;

/// <summary>Storefront, thanks, cancel and the status endpoint over HTTP (the browser tests drive the same pages in Chromium).</summary>
public abstract class CustomerPagesTests<TApp>(TApp fixture) : PageTestsBase<TApp>(fixture) where TApp : AppFixture
{
    [Fact]
    public async Task The_storefront_lists_every_plan_at_its_server_price_and_only_enabled_providers()
    {
        using var client = App.Client();
        var page = await client.GetStringAsync("/");
        foreach (var (plan, price) in new[] { ("basic", "19.00 EUR"), ("pro", "29.00 EUR"), ("expert", "149.00 EUR") })
        {
            Assert.Contains($"<button type=\"submit\" name=\"plan\" value=\"{plan}\" aria-describedby=\"plan-{plan} price-{plan}\">Pay now</button>", page);
            Assert.Contains($"<p class=\"price\" id=\"price-{plan}\">{price}</p>", page);
        }
        Assert.Contains("value=\"dummy\" checked", page);
        Assert.DoesNotContain("value=\"stripe\"", page); // compiled in, not enabled here
    }

    [Fact]
    public async Task Pay_now_creates_the_payment_at_the_plans_price_and_sends_the_browser_to_the_providers_checkout()
    {
        using var client = App.Client();
        var response = await client.SubmitForm("/", "/payments/checkout", ("plan", "pro"), ("provider", "dummy"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith("/payments/simulate/dm_", location.AbsolutePath);
        await using var db = App.Db();
        var payment = await db.Context.Payments.AsNoTracking().SingleAsync(p => p.RedirectUrl == location.ToString());
        Assert.Equal(("pro", 2900L, "EUR", PaymentStatus.Pending, null), (payment.Plan, payment.AmountMinor, payment.Currency, payment.Status, payment.OwnerId));
        Assert.Equal("guest", (await db.Context.AuditLog.SingleAsync(a => a.PaymentId == payment.Id && a.Action == "payment.intent")).Actor);
    }

    [Theory]
    [InlineData("platinum", "dummy", "Unknown plan 'platinum'")]
    [InlineData("basic", "stripe", "Provider 'stripe' is not enabled here")]
    public async Task A_plan_or_provider_we_do_not_offer_shows_the_storefront_again_with_the_reason(string plan, string provider, string reason)
    {
        await using var db = App.Db();
        var before = await db.Context.Payments.CountAsync();
        using var client = App.Client();
        var response = await client.SubmitForm("/", "/payments/checkout", ("plan", plan), ("provider", provider));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Matches($"<p class=\"error\" role=\"alert\">{Regex.Escape(WebUtility.HtmlEncode(reason))}", page);
        Assert.Contains("<h1>Choose a plan</h1>", page);
        Assert.Equal(before, await db.Context.Payments.CountAsync());
    }

    [Fact]
    public async Task The_storefront_form_without_its_antiforgery_token_is_refused_and_changes_nothing()
    {
        await using var db = App.Db();
        var before = await db.Context.Payments.CountAsync();
        using var client = App.Client();

        var checkout = await client.PostAsync("/payments/checkout", Forms.FormWith(null, ("plan", "basic"), ("provider", "dummy")));

        Assert.Equal(HttpStatusCode.BadRequest, checkout.StatusCode);
        Assert.Equal("application/problem+json", checkout.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await db.Context.Payments.CountAsync());
    }

    [Fact]
    public async Task The_dummy_checkout_takes_a_plain_form_post_without_antiforgery_token_or_cookie_as_curl_sends_it()
    {
        // The dummy's hosted page has no ambient authority to protect (SimulatePage says why), so the
        // README's curl walkthrough pays with a bare POST; every other form still needs its token.
        var (paymentId, dmId) = await PendingPayment();
        using var client = App.Client();

        var simulate = await client.PostAsync($"/payments/simulate/{dmId}", Forms.FormWith(null, ("outcome", "succeeded")));

        Assert.Equal(HttpStatusCode.SeeOther, simulate.StatusCode);
        Assert.Equal($"/payments/thanks?payment_id={paymentId}", simulate.Headers.Location!.ToString());
        Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);
    }

    [Fact]
    public async Task Canceling_at_the_checkout_lands_on_the_cancel_page_which_offers_a_new_attempt_for_the_same_plan()
    {
        var (paymentId, dmId) = await PendingPayment("expert");
        using var client = App.Client();
        var canceled = await client.PayDummy(dmId, "canceled");

        Assert.Equal($"/payments/cancel?payment_id={paymentId}", canceled.Headers.Location!.ToString());
        var page = await client.GetStringAsync(canceled.Headers.Location);
        Assert.Contains("<h1 data-status=\"canceled\">Payment canceled</h1>", page);
        Assert.Contains("<input type=\"hidden\" name=\"plan\" value=\"expert\">", page);
        Assert.Contains("<input type=\"hidden\" name=\"provider\" value=\"dummy\">", page);

        var retry = await client.PostAsync("/payments/checkout", Forms.FormWith(Forms.Token(page), ("plan", "expert"), ("provider", "dummy")));
        Assert.Equal(HttpStatusCode.SeeOther, retry.StatusCode);
        Assert.DoesNotContain(dmId, retry.Headers.Location!.ToString()); // a new checkout, never the canceled one
    }

    [Fact]
    public async Task The_cancel_page_of_a_checkout_that_is_still_open_offers_that_checkout_back_instead_of_a_second_payment()
    {
        var (paymentId, _) = await PendingPayment();
        var checkout = (await Load(paymentId)).RedirectUrl!;
        using var client = App.Client();
        var page = await client.GetStringAsync($"/payments/cancel?payment_id={paymentId}");

        Assert.Contains("Checkout not completed", page);
        Assert.Contains($"<a class=\"button\" href=\"{checkout}\">Return to checkout</a>", page);
        Assert.DoesNotContain("Try again", page);
    }

    [Fact]
    public async Task While_processing_the_thanks_page_refreshes_itself_without_script_and_stops_once_paid()
    {
        var (paymentId, dmId) = await PendingPayment();
        using var client = App.Client();
        var pending = await client.GetStringAsync($"/payments/thanks?payment_id={paymentId}");
        Assert.Contains("<noscript><meta http-equiv=\"refresh\" content=\"3\"></noscript>", pending);
        Assert.Contains($"<a href=\"/payments/thanks?payment_id={paymentId}\">Check again</a>", pending);
        Assert.Contains("data-processing=\"true\"", pending);

        (await client.PayDummy(dmId)).Dispose();
        var paid = await client.GetStringAsync($"/payments/thanks?payment_id={paymentId}");
        Assert.DoesNotContain("http-equiv=\"refresh\"", paid);
        Assert.DoesNotContain("Check again", paid);
        Assert.Contains("data-processing=\"false\"", paid);
        Assert.Matches("<dd data-receipt-number>R-[0-9A-Z-]+</dd>", paid);
        Assert.Contains("<dt>Amount</dt><dd>19.00 EUR</dd>", paid);
    }

    [Fact]
    public async Task The_status_endpoint_tells_only_the_status_and_is_never_cached()
    {
        var (paymentId, dmId) = await PendingPayment();
        using var client = App.Client();
        var pending = await client.GetAsync($"/payments/status/{paymentId}");
        Assert.Equal("no-store", pending.Headers.CacheControl!.ToString());
        Assert.Equal($"{{\"payment_id\":\"{paymentId}\",\"status\":\"pending\",\"processing\":true}}", await pending.Content.ReadAsStringAsync());

        (await client.PayDummy(dmId)).Dispose();
        var paid = await (await client.GetAsync($"/payments/status/{paymentId}")).Body();
        Assert.Equal(("succeeded", false), (paid.Str("status"), paid.GetProperty("processing").GetBoolean()));

        var unknown = await client.GetAsync("/payments/status/pay_doesnotexist");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("not_found", (await unknown.Body()).Str("code"));
    }

    [Fact]
    public async Task Pages_load_nothing_inline_and_forbid_framing()
    {
        var (paymentId, _) = await PendingPayment();
        using var client = App.Client();
        foreach (var path in new[] { "/", $"/payments/thanks?payment_id={paymentId}", $"/payments/cancel?payment_id={paymentId}", "/admin/sign-in" })
        {
            var response = await client.GetAsync(path);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("script-src 'self'", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", html); // no inline script
            Assert.DoesNotMatch("\\s(style|on[a-z]+)=", html);   // no inline style or handler
        }
    }
}

public sealed class CustomerPagesTests_Sqlite(SqliteApp app) : CustomerPagesTests<SqliteApp>(app);

public sealed class CustomerPagesTests_Postgres(PostgresApp app) : CustomerPagesTests<PostgresApp>(app);
