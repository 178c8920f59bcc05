using System.Net;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Api;

public class ServiceLimitedApp : SqliteAuthApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => Credentials.Settings(new()
    {
        ["RATE_LIMITS_ENABLED"] = "true",
        ["RATE_LIMIT_CREATE_INTENT_PER_MINUTE"] = "2",
        ["RATE_LIMIT_SERVICE_PER_MINUTE"] = "5",
    });
}

/// <summary>Issue 16 item 4: a service key is the host's whole backend; each end user it acts for has the usual limit.</summary>
public class ServiceRateLimitTests(ServiceLimitedApp fixture) : IClassFixture<ServiceLimitedApp>
{
    private static object For(string? userId) => new { plan = "basic", user_id = userId };

    [Fact]
    public async Task A_service_key_acting_for_one_end_user_is_held_to_that_users_limit_and_others_are_not()
    {
        var (_, secret) = await Credentials.CreateKey(fixture.App);
        using var service = fixture.App.Client().As(secret);
        var statuses = new List<int>();
        for (var i = 0; i < 3; i++) statuses.Add((int)(await service.PostJson("/api/v1/payment/create-intent", For("end-user-a"))).StatusCode);
        Assert.Equal([200, 200, 429], statuses);

        var limited = await service.PostJson("/api/v1/payment/create-intent", For("end-user-a"));
        Assert.Equal("rate_limited", (await limited.Body()).Str("code"));
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single()), 1, 60);

        Assert.Equal(HttpStatusCode.OK, (await service.PostJson("/api/v1/payment/create-intent", For("end-user-b"))).StatusCode);
    }

    [Fact]
    public async Task A_service_key_has_its_own_higher_limit_and_a_person_keeps_the_usual_one()
    {
        var (_, secret) = await Credentials.CreateKey(fixture.App, name: "backend-2");
        using var service = fixture.App.Client().As(secret);
        var statuses = new List<int>();
        // Five different end users: the per-user limit (2) never bites, the key's own (5) does.
        for (var i = 0; i < 6; i++) statuses.Add((int)(await service.PostJson("/api/v1/payment/create-intent", For($"many-{i}"))).StatusCode);
        Assert.Equal([200, 200, 200, 200, 200, 429], statuses);

        using var person = fixture.App.Client().As(Credentials.Jwt("plain-person"));
        var own = new List<int>();
        for (var i = 0; i < 3; i++) own.Add((int)(await person.PostJson("/api/v1/payment/create-intent", For(null))).StatusCode);
        Assert.Equal([200, 200, 429], own);
    }
}
