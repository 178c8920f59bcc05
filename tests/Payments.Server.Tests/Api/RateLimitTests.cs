using System.Net;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Api;

public class LimitedApp : SqliteAuthApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => Credentials.Settings(new()
    {
        ["RATE_LIMITS_ENABLED"] = "true",
        ["RATE_LIMIT_VERIFY_PER_MINUTE"] = "3",
        ["RATE_LIMIT_WEBHOOK_PER_MINUTE"] = "2",
        ["RATE_LIMIT_RECEIPT_PER_MINUTE"] = "2",
        ["RATE_LIMIT_RECEIPT_PDF_PER_MINUTE"] = "1",
        ["RATE_LIMIT_ADMIN_SIGN_IN_PER_MINUTE"] = "2",
    });
}

public class RateLimitTests(LimitedApp fixture) : IClassFixture<LimitedApp>
{
    [Fact]
    public async Task The_request_over_the_limit_gets_429_problem_details_with_Retry_After()
    {
        using var user = fixture.App.Client().As(Credentials.Jwt("limited-1"));
        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
            statuses.Add((int)(await user.PostJson("/api/v1/payment/verify", new { payment_id = "pay_nope" })).StatusCode);
        var rejected = await user.PostJson("/api/v1/payment/verify", new { payment_id = "pay_nope" });

        Assert.Equal([404, 404, 404, 429], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.Equal("rate_limited", (await rejected.Body()).Str("code"));
        var retryAfter = int.Parse(rejected.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 1, 60);
    }

    [Fact]
    public async Task Each_user_has_their_own_bucket()
    {
        using var a = fixture.App.Client().As(Credentials.Jwt("limited-a"));
        using var b = fixture.App.Client().As(Credentials.Jwt("limited-b"));
        for (var i = 0; i < 3; i++) await a.PostJson("/api/v1/payment/verify", new { payment_id = "pay_nope" });
        Assert.Equal(429, (int)(await a.PostJson("/api/v1/payment/verify", new { payment_id = "pay_nope" })).StatusCode);
        Assert.Equal(404, (int)(await b.PostJson("/api/v1/payment/verify", new { payment_id = "pay_nope" })).StatusCode);
    }

    [Fact]
    public async Task Create_intent_allows_ten_a_minute_by_default()
    {
        using var user = fixture.App.Client().As(Credentials.Jwt("limited-ci"));
        var statuses = new List<int>();
        for (var i = 0; i < 11; i++)
            statuses.Add((int)(await user.PostJson("/api/v1/payment/create-intent", new { plan = "basic" })).StatusCode);
        Assert.Equal(Enumerable.Repeat(200, 10).Append(429), statuses);
    }

    [Fact]
    public async Task Webhook_routes_are_limited_per_route()
    {
        using var client = fixture.App.Client();
        async Task<int> Deliver(string provider)
        {
            var body = DummyEvents.Body("evt_rl_" + Guid.NewGuid(), "payment.succeeded", "dm_nobody", 100, "EUR");
            var request = DummyEvents.Delivery(body, DummyEvents.Sign(body));
            request.RequestUri = new Uri($"/api/v1/payment/webhook/{provider}", UriKind.Relative);
            return (int)(await client.SendAsync(request)).StatusCode;
        }
        var statuses = new List<int>();
        for (var i = 0; i < 3; i++) statuses.Add(await Deliver("dummy"));
        Assert.Equal([200, 200, 429], statuses);
        Assert.Equal(404, await Deliver("other")); // a different route has its own bucket (and no such provider)
    }

    [Fact]
    public async Task Letter_case_in_the_provider_name_does_not_open_another_webhook_bucket()
    {
        // Its own client address, so the other webhook test's bucket is not this one's.
        using var client = fixture.App.ClientFrom("127.0.0.23");
        async Task<int> Deliver(string provider)
        {
            var body = DummyEvents.Body("evt_rlc_" + Guid.NewGuid(), "payment.succeeded", "dm_nobody", 100, "EUR");
            var request = DummyEvents.Delivery(body, DummyEvents.Sign(body));
            request.RequestUri = new Uri($"/api/v1/payment/webhook/{provider}", UriKind.Relative);
            return (int)(await client.SendAsync(request)).StatusCode;
        }
        var statuses = new List<int>();
        foreach (var provider in new[] { "dummy", "DUMMY", "Dummy", "dUmmy" }) statuses.Add(await Deliver(provider));
        Assert.Equal([200, 200, 429, 429], statuses);
    }

    [Fact]
    public async Task The_storefront_form_spends_the_same_budget_as_create_intent()
    {
        // A guest (bucket = client address); the form carries its antiforgery token like a browser's.
        using var guest = fixture.App.ClientFrom("127.0.0.41");
        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
            statuses.Add((int)(await guest.PostJson("/api/v1/payment/create-intent", new { plan = "basic" })).StatusCode);
        for (var i = 0; i < 6; i++)
            statuses.Add((int)(await guest.SubmitForm("/", "/payments/checkout", ("plan", "basic"))).StatusCode);
        var api = await guest.PostJson("/api/v1/payment/create-intent", new { plan = "basic" });

        Assert.Equal(Enumerable.Repeat(200, 5).Concat(Enumerable.Repeat(303, 5)).Append(429), statuses);
        Assert.Equal(429, (int)api.StatusCode); // and the form's spending counts against the API route too
        Assert.True(api.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task Admin_sign_in_is_limited_per_client_address_so_keys_cannot_be_guessed_at_full_speed()
    {
        using var guesser = fixture.App.ClientFrom("127.0.0.43");
        using var admin = fixture.App.ClientFrom("127.0.0.44");
        var statuses = new List<int>();
        for (var i = 0; i < 2; i++)
            statuses.Add((int)(await guesser.SubmitForm("/admin/sign-in", "/admin/sign-in", ("credential", "psk_guess_" + i))).StatusCode);
        var rejected = await guesser.SubmitForm("/admin/sign-in", "/admin/sign-in", ("credential", Credentials.AdminKey));

        Assert.Equal([401, 401], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode); // even the right key, once the budget is spent
        Assert.False(rejected.Headers.Contains("Set-Cookie"));
        Assert.InRange(int.Parse(rejected.Headers.GetValues("Retry-After").Single()), 1, 60);
        // Another address has its own budget: the admin there signs in (303 to the dashboard).
        Assert.Equal(HttpStatusCode.SeeOther, (await admin.SubmitForm("/admin/sign-in", "/admin/sign-in", ("credential", Credentials.AdminKey))).StatusCode);
    }

    [Fact]
    public async Task Receipt_json_is_limited_with_429_and_Retry_After()
    {
        // Unknown ids answer 404 from the handler; the limiter counts them all the same, before it.
        using var user = fixture.App.Client().As(Credentials.Jwt("limited-receipt"));
        var statuses = new List<int>();
        for (var i = 0; i < 2; i++)
            statuses.Add((int)(await user.GetAsync("/api/v1/payment/receipt/pay_nope")).StatusCode);
        var rejected = await user.GetAsync("/api/v1/payment/receipt/pay_nope");

        Assert.Equal([404, 404], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.Equal("rate_limited", (await rejected.Body()).Str("code"));
        Assert.InRange(int.Parse(rejected.Headers.GetValues("Retry-After").Single()), 1, 60);
    }

    [Fact]
    public async Task Receipt_pdf_has_its_own_smaller_limit_with_429_and_Retry_After()
    {
        // An unknown id is refused (404) before any PDF engine is needed, so this holds without Chromium.
        using var user = fixture.App.Client().As(Credentials.Jwt("limited-pdf"));
        var first = await user.GetAsync("/api/v1/payment/receipt/pay_nope/pdf");
        var rejected = await user.GetAsync("/api/v1/payment/receipt/pay_nope/pdf");
        var json = await user.GetAsync("/api/v1/payment/receipt/pay_nope");

        Assert.Equal(404, (int)first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.Equal("rate_limited", (await rejected.Body()).Str("code"));
        Assert.InRange(int.Parse(rejected.Headers.GetValues("Retry-After").Single()), 1, 60);
        Assert.Equal(404, (int)json.StatusCode); // the JSON receipt's bucket was not spent by the PDF
    }
}

public class UnlimitedApp : SqliteAuthApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => Credentials.Settings(new()
    {
        ["RATE_LIMITS_ENABLED"] = "false",
        ["RATE_LIMIT_VERIFY_PER_MINUTE"] = "1",
    });
}

public class RateLimitSwitchTests(UnlimitedApp fixture) : IClassFixture<UnlimitedApp>
{
    [Fact]
    public async Task RATE_LIMITS_ENABLED_false_switches_every_limit_off()
    {
        using var user = fixture.App.Client();
        for (var i = 0; i < 15; i++)
            Assert.Equal(404, (int)(await user.PostJson("/api/v1/payment/verify", new { payment_id = "pay_nope" })).StatusCode);
    }
}
