using OpenQA.Selenium;
using Payments.Browser.Tests.Support;
using Payments.Server.Tests.Support;

namespace Payments.Browser.Tests;

/// <summary>
/// The storefront with Google Pay and Apple Pay switched on, in a browser that cannot reach Google's
/// pay.js or Stripe.js (tests never reach the internet; here the browser is told to refuse them, so the
/// test does not depend on how the machine's network fails): the page renders, no wallet button is
/// drawn, and "Pay now" still pays.
/// </summary>
public sealed class WalletStorefrontTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public Task With_wallets_on_and_their_scripts_unreachable_the_storefront_still_renders_and_pays() => InBrowser(async () =>
    {
        var association = Path.GetTempFileName();
        await File.WriteAllTextAsync(association, "7B22707370496422");
        var app = new PaymentsApp(new SqliteTestDatabase(), Credentials.Settings(new Dictionary<string, string?>
        {
            ["STRIPE_SECRET_KEY"] = "sk_test_browser", ["STRIPE_WEBHOOK_SECRET"] = "whsec_browser", ["STRIPE_PUBLISHABLE_KEY"] = "pk_test_browser",
            ["GOOGLE_PAY_ENABLED"] = "true", ["APPLE_PAY_ENABLED"] = "true", ["APPLE_PAY_DOMAIN_NAME"] = "shop.example.com",
            ["APPLE_PAY_DOMAIN_ASSOCIATION_FILE"] = association, ["PAYMENT_PROVIDER"] = "dummy",
        }));
        Browser.ExecuteCdpCommand("Network.enable", new Dictionary<string, object?>());
        Browser.ExecuteCdpCommand("Network.setBlockedURLs", new Dictionary<string, object?> { ["urls"] = new[] { "*pay.google.com*", "*js.stripe.com*" } });
        try
        {
            Browser.Navigate().GoToUrl(new Uri(app.BaseAddress, "/"));
            WaitFor(By.CssSelector("h1"), "the storefront");
            Wait("the page to finish loading", d => (string)((IJavaScriptExecutor)d).ExecuteScript("return document.readyState")! == "complete");
            Assert.NotEmpty(Browser.FindElements(By.Id("wallet-form")));
            Assert.Equal(3L, Script("return document.querySelectorAll('.wallet-buttons').length"));
            Assert.Equal(0L, Script("return document.querySelectorAll('.wallet-buttons *').length")); // nothing drawn without the wallets' scripts
            AssertAccessibleBasics();

            Browser.FindElement(By.CssSelector("button[name='plan'][value='basic']")).Click();
            WaitFor(By.CssSelector("button[value='succeeded']"), "the dummy checkout").Click();

            Assert.Equal("Paid", WaitForStatusText("succeeded"));
        }
        finally
        {
            Browser.ExecuteCdpCommand("Network.setBlockedURLs", new Dictionary<string, object?> { ["urls"] = Array.Empty<string>() });
            Browser.ExecuteCdpCommand("Network.disable", new Dictionary<string, object?>());
            await app.DisposeAsync();
            await app.Database.DisposeAsync();
            File.Delete(association);
        }
    });
}
