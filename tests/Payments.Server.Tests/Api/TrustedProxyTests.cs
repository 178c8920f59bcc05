using System.Net;
using Payments.Server.Data;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Api;

/// <summary>Rate limits by client address, behind a reverse proxy on 127.0.0.1 that the operator named.</summary>
public abstract class ProxiedApp(string? trusted) : AppFixture(DatabaseKind.Sqlite)
{
    protected override IReadOnlyDictionary<string, string?> Settings => Credentials.Settings(new()
    {
        ["RATE_LIMITS_ENABLED"] = "true",
        ["RATE_LIMIT_VERIFY_PER_MINUTE"] = "1",
        ["TRUSTED_PROXIES"] = trusted,
    });
}

public sealed class BehindTrustedProxyApp() : ProxiedApp("127.0.0.1, 10.0.0.0/8");

public sealed class NoTrustedProxyApp() : ProxiedApp(null);

public sealed class TrustedProxyTests(BehindTrustedProxyApp behind, NoTrustedProxyApp direct)
    : IClassFixture<BehindTrustedProxyApp>, IClassFixture<NoTrustedProxyApp>
{
    private static async Task<HttpStatusCode> Verify(PaymentsApp app, string forwardedFor)
    {
        using var http = app.Client();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payment/verify")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { payment_id = "pay_nobody" }),
        };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return (await http.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_each_client_has_its_own_limit()
    {
        Assert.Equal(HttpStatusCode.NotFound, await Verify(behind.App, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Verify(behind.App, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.NotFound, await Verify(behind.App, "198.51.100.20")); // another client behind the same proxy
    }

    [Fact]
    public async Task Without_TRUSTED_PROXIES_a_forwarded_address_is_not_believed()
    {
        Assert.Equal(HttpStatusCode.NotFound, await Verify(direct.App, "203.0.113.8"));
        // Claiming to be someone else does not open a new bucket.
        Assert.Equal(HttpStatusCode.TooManyRequests, await Verify(direct.App, "198.51.100.21"));
    }
}
