using Microsoft.EntityFrameworkCore;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using Payments.Browser.Tests.Support;
using Payments.Core.Payments;
using Payments.Server.Tests.Support;

namespace Payments.Browser.Tests;

/// <summary>A customer in a real browser: storefront → dummy hosted checkout → thanks or cancel page.</summary>
public sealed class StorefrontTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public Task A_customer_pays_with_the_keyboard_and_sees_paid_with_the_receipt() => InBrowser(async () =>
    {
        Open("/");
        WaitFor(By.CssSelector("h1"), "the storefront");
        AssertAccessibleBasics();
        // Tab to the basic plan's button and press Enter: the page works without a mouse.
        const string onBasic = "return document.activeElement.matches('button[name=plan][value=basic]')";
        for (var i = 0; i < 12 && !(bool)Script(onBasic)!; i++)
            new Actions(Browser).SendKeys(Keys.Tab).Perform();
        Assert.Equal("Pay now", Browser.SwitchTo().ActiveElement().Text);
        new Actions(Browser).SendKeys(Keys.Return).Perform(); // Return is the main keyboard's Enter key

        WaitFor(By.CssSelector("button[value='succeeded']"), "the dummy checkout").Click();

        var heading = WaitForStatus("succeeded");
        Assert.Equal("Paid", heading.Text);
        Assert.StartsWith("R-", Browser.FindElement(By.CssSelector("[data-receipt-number]")).Text);
        Assert.Contains("19.00 EUR", Browser.FindElement(By.CssSelector(".receipt")).Text);
        AssertAccessibleBasics();
        Assert.Equal(PaymentStatus.Succeeded, (await PaymentShownOnPage()).Status);
    });

    [Fact]
    public Task A_declined_payment_shows_failed_and_offers_another_try() => InBrowser(async () =>
    {
        Open("/");
        WaitFor(By.CssSelector("button[name='plan'][value='pro']"), "the pro plan").Click();
        WaitFor(By.CssSelector("button[value='failed']"), "the dummy checkout").Click();

        Assert.Equal("Payment failed", WaitForStatus("failed").Text);
        Assert.Contains("No money was taken", Browser.FindElement(By.Id("payment-status")).Text);
        Assert.True(Browser.FindElement(By.XPath("//button[normalize-space()='Try again']")).Displayed);
        AssertAccessibleBasics();
        Assert.Equal(PaymentStatus.Failed, (await PaymentShownOnPage()).Status);
    });

    [Fact]
    public Task Canceling_at_the_checkout_leads_to_the_cancel_page_and_trying_again_pays() => InBrowser(async () =>
    {
        Open("/");
        WaitFor(By.CssSelector("button[name='plan'][value='expert']"), "the expert plan").Click();
        WaitFor(By.CssSelector("button[value='canceled']"), "the dummy checkout");
        var firstCheckout = Browser.Url;
        Browser.FindElement(By.CssSelector("button[value='canceled']")).Click();

        Assert.Equal("Payment canceled", WaitForStatus("canceled").Text);
        Assert.Contains("/payments/cancel", Browser.Url);
        AssertAccessibleBasics();
        var canceled = await PaymentShownOnPage();

        Browser.FindElement(By.XPath("//button[normalize-space()='Try again']")).Click();
        WaitFor(By.CssSelector("button[value='succeeded']"), "a new dummy checkout");
        Assert.NotEqual(firstCheckout, Browser.Url); // a new checkout, never the canceled one again
        Assert.Contains("149.00 EUR", Browser.FindElement(By.CssSelector(".amount")).Text);
        Browser.FindElement(By.CssSelector("button[value='succeeded']")).Click();

        WaitForStatus("succeeded");
        var paid = await PaymentShownOnPage();
        Assert.NotEqual(canceled.Id, paid.Id);
        Assert.Equal((PaymentStatus.Canceled, PaymentStatus.Succeeded, "expert"), (canceled.Status, paid.Status, paid.Plan));
    });

    [Fact]
    public Task The_thanks_page_follows_a_pending_payment_to_paid_without_reloading() => InBrowser(async () =>
    {
        var (paymentId, dmId) = await PendingPayment();
        Open($"/payments/thanks?payment_id={paymentId}");
        Assert.Equal("Processing…", WaitForStatus("pending").Text);
        AssertAccessibleBasics();
        Script("window.stillTheSamePage = true;"); // a reload would forget this

        using var customer = App.Client();
        (await customer.PayDummy(dmId)).Dispose(); // the provider settles it elsewhere, as a webhook would

        Assert.Equal("Paid", WaitForStatus("succeeded").Text);
        Assert.Equal(true, Script("return window.stillTheSamePage === true;"));
        Assert.Equal("Paid", Browser.FindElement(By.Id("status-announcer")).GetDomProperty("textContent"));
        Assert.StartsWith("R-", Browser.FindElement(By.CssSelector("[data-receipt-number]")).Text);
    });

    [Fact]
    public Task Without_javascript_the_thanks_page_refreshes_itself_until_paid() => InBrowser(async () =>
    {
        var (paymentId, dmId) = await PendingPayment();
        Browser.SetJavaScript(false);
        Open($"/payments/thanks?payment_id={paymentId}");
        // The page reloads itself every 3 s while pending: read what it shows inside waits, never from
        // an element found before a reload (a StaleElementReferenceException).
        Assert.Equal("Processing…", WaitForStatusText("pending"));
        Assert.True(Wait("the Check again link", d => d.FindElements(By.LinkText("Check again")).Any(e => e.Displayed)));

        using var customer = App.Client();
        (await customer.PayDummy(dmId)).Dispose();

        Assert.Equal("Paid", WaitForStatusText("succeeded")); // the <noscript> meta refresh reloaded it
    });

    private async Task<(string PaymentId, string DmId)> PendingPayment()
    {
        using var client = App.Client();
        var intent = await (await client.PostJson("/api/v1/payment/create-intent", new { plan = "basic" })).Body();
        return (intent.Str("payment_id"), intent.Str("provider_payment_id"));
    }

    /// <summary>The payment whose id the page shows, as stored.</summary>
    private async Task<Payments.Server.Data.Entities.Payment> PaymentShownOnPage()
    {
        var id = Browser.FindElement(By.Id("payment-status")).GetDomAttribute("data-payment-id")!;
        await using var db = App.Db();
        return await db.Context.Payments.AsNoTracking().SingleAsync(p => p.Id == id);
    }
}
