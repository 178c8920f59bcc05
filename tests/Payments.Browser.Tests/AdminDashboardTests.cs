using Microsoft.EntityFrameworkCore;
using OpenQA.Selenium;
using Payments.Browser.Tests.Support;
using Payments.Core.Payments;
using Payments.Server.Tests.Support;

namespace Payments.Browser.Tests;

/// <summary>An admin in a real browser: sign in with the admin API key, find a payment, refund part of it.</summary>
public sealed class AdminDashboardTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public Task An_admin_signs_in_refunds_part_of_a_payment_and_sees_the_new_state_and_the_timeline_entry() => InBrowser(async () =>
    {
        var paymentId = await PaidPayment();

        Open("/admin");
        WaitFor(By.Id("credential"), "the sign-in page");
        Assert.Contains("/admin/sign-in", Browser.Url);
        AssertAccessibleBasics();
        Browser.FindElement(By.Id("credential")).SendKeys("psk_not_a_key_of_ours");
        Browser.FindElement(By.XPath("//button[normalize-space()='Sign in']")).Click();
        Assert.Contains("not an active admin API key", WaitFor(By.CssSelector("[role=alert]"), "the refusal").Text);

        Browser.FindElement(By.Id("credential")).SendKeys(Credentials.AdminKey);
        Browser.FindElement(By.XPath("//button[normalize-space()='Sign in']")).Click();
        // The sign-in page has an h1 too: wait for what only the dashboard has, or the h1 found
        // may be the sign-in page's, gone stale as the browser follows the redirect.
        WaitFor(By.CssSelector("nav[aria-label=Dashboard]"), "the dashboard");
        Assert.Equal("Payments", Browser.FindElement(By.TagName("h1")).Text);
        AssertAccessibleBasics();

        WaitFor(By.LinkText(paymentId), "the payment in the table").Click();
        WaitFor(By.Id("refund-amount"), "the refund form");
        AssertAccessibleBasics();
        Browser.FindElement(By.Id("refund-amount")).SendKeys("5.00");
        Browser.FindElement(By.Id("refund-reason")).SendKeys("Goodwill <b>gesture</b>");
        Browser.FindElement(By.XPath("//button[normalize-space()='Refund']")).Click();

        var notice = WaitFor(By.CssSelector(".notice[role=status]"), "the refund notice");
        Assert.Matches("Refund re_[0-9a-z]+ of 5.00 EUR: succeeded", notice.Text);
        Assert.Equal("partially_refunded", Browser.FindElement(By.CssSelector("[data-payment-status]")).Text);
        Assert.Equal("5.00 EUR", Browser.FindElement(By.CssSelector("[data-refunded]")).Text);
        var applied = Browser.FindElement(By.CssSelector(".timeline li.payment-refund"));
        Assert.Contains("Refund applied", applied.Text);
        Assert.Contains("partially_refunded", applied.Text);
        var requested = Browser.FindElement(By.CssSelector(".timeline li.payment-refund-requested"));
        Assert.Contains("Goodwill <b>gesture</b>", requested.Text); // shown as typed, not as markup
        Assert.Contains("succeeded", requested.FindElement(By.CssSelector(".refund-now")).Text);
        Assert.NotEmpty(Browser.FindElements(By.CssSelector(".timeline li.payment-webhook details")));
        AssertAccessibleBasics();

        await using (var db = App.Db())
        {
            var stored = await db.Context.Payments.AsNoTracking().SingleAsync(p => p.Id == paymentId);
            Assert.Equal((PaymentStatus.PartiallyRefunded, 500L), (stored.Status, stored.RefundedMinor));
        }

        Browser.FindElement(By.XPath("//button[normalize-space()='Sign out']")).Click();
        WaitFor(By.Id("credential"), "the sign-in page after signing out");
        Open("/admin");
        WaitFor(By.Id("credential"), "the sign-in page, as the session is gone");
    });

    [Fact]
    public Task The_other_dashboard_pages_render_accessibly_with_their_data() => InBrowser(async () =>
    {
        var paymentId = await PaidPayment();
        SignIn();

        Open("/admin/revenue");
        var chart = WaitFor(By.CssSelector("svg.chart[role=img]"), "the revenue chart");
        Assert.Contains("Net revenue per day in EUR", chart.FindElement(By.TagName("title")).GetDomProperty("textContent"));
        Assert.NotEmpty(chart.FindElements(By.CssSelector("rect.bar")));
        AssertAccessibleBasics();

        Open($"/admin/webhooks?payment_id={paymentId}");
        var body = WaitFor(By.CssSelector("details summary"), "an event's raw body");
        body.Click();
        Assert.Contains("\"type\":\"payment.succeeded\"", Browser.FindElement(By.CssSelector("details pre")).Text);
        AssertAccessibleBasics();

        Open($"/admin/audit?payment_id={paymentId}");
        WaitFor(By.XPath("//code[normalize-space()='payment.finalize']"), "the finalize entry");
        AssertAccessibleBasics();

        Open("/admin?status=succeeded");
        WaitFor(By.LinkText(paymentId), "the paid payment under the status filter");
        Assert.Equal("succeeded", Browser.FindElement(By.CssSelector("#f-status option:checked")).GetDomAttribute("value"));
    });

    private void SignIn()
    {
        Open("/admin/sign-in");
        WaitFor(By.Id("credential"), "the sign-in page").SendKeys(Credentials.AdminKey);
        Browser.FindElement(By.XPath("//button[normalize-space()='Sign in']")).Click();
        WaitFor(By.CssSelector("nav[aria-label=Dashboard]"), "the dashboard");
    }

    private async Task<string> PaidPayment()
    {
        using var client = App.Client();
        var intent = await (await client.PostJson("/api/v1/payment/create-intent", new { plan = "basic" })).Body();
        (await client.PayDummy(intent.Str("provider_payment_id"))).Dispose();
        return intent.Str("payment_id");
    }
}
