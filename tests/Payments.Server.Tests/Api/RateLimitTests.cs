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
