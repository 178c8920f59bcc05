using System.Net;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Stripe;

/// <summary>
/// The storefront form when Stripe cannot start a checkout: the customer sees the form again with a
/// reason that matches what happened, under the status the API would give (503 or 502).
/// </summary>
public sealed class StripeStorefrontTests(StripeSqliteApp fixture) : IClassFixture<StripeSqliteApp>
{
    private const string Sessions = "/v1/checkout/sessions";

    [Fact]
    public async Task Stripe_out_of_reach_is_503_and_the_page_says_it_could_not_be_reached()
    {
        fixture.Stripe.Fail(Sessions, 1, 503, shouldRetry: false);
        using var customer = fixture.App.Client();

        var page = await customer.SubmitForm("/", "/payments/checkout", ("plan", "basic"), ("provider", "stripe"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("could not be reached", html);
        Assert.Contains("Nothing was charged", html);
    }

    [Fact]
    public async Task Stripe_refusing_the_checkout_is_502_and_the_page_does_not_claim_it_was_unreachable()
    {
        fixture.Stripe.Fail(Sessions, 1, 400, type: "invalid_request_error", code: "parameter_invalid_integer");
        using var customer = fixture.App.Client();

        var page = await customer.SubmitForm("/", "/payments/checkout", ("plan", "basic"), ("provider", "stripe"));

        Assert.Equal(HttpStatusCode.BadGateway, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("refused to start this payment", html);
        Assert.DoesNotContain("could not be reached", html);
        Assert.Contains("Nothing was charged", html);
    }
}
