using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Payments.Client.Tests.Support;
using Payments.Server.Tests.Support;

namespace Payments.Client.Tests;

/// <summary>How a host wires the client in, and what it makes of answers that are not the service's.</summary>
public sealed class ClientSetupTests(ClientServer server)
{
    [Fact]
    public async Task AddPaymentsClient_registers_a_typed_client_of_the_HttpClient_factory()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new HostSettings(server.App.BaseAddress, Credentials.AdminKey));
        services.AddPaymentsClient((provider, options) =>
        {
            var settings = provider.GetRequiredService<HostSettings>();
            options.BaseAddress = settings.PaymentsUrl;
            options.ApiKey = settings.Key;
        });
        await using var built = services.BuildServiceProvider();

        var client = built.GetRequiredService<PaymentsClient>();
        Assert.Contains(await client.ListApiKeysAsync(), k => k.Name == "ADMIN_API_KEY");
    }

    private sealed record HostSettings(Uri PaymentsUrl, string Key);

    [Fact]
    public void Options_that_cannot_work_are_refused_when_the_client_is_made()
    {
        using var http = new HttpClient();
        Assert.Throws<InvalidOperationException>(() => new PaymentsClient(http, new PaymentsClientOptions()));
        Assert.Throws<InvalidOperationException>(() => new PaymentsClient(http, new PaymentsClientOptions
        {
            BaseAddress = new Uri("https://p.example/"), ApiKey = "psk_x", BearerToken = _ => ValueTask.FromResult<string?>("jwt"),
        }));
    }

    [Fact]
    public async Task A_base_address_with_a_path_keeps_its_path()
    {
        using var http = new HttpClient(new Answer(request => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent($"{{\"user_id\":\"{request.RequestUri!.AbsolutePath}\",\"credits\":0,\"can_spend\":false}}"),
        }));
        var client = new PaymentsClient(http, new PaymentsClientOptions { BaseAddress = new Uri("https://example.test/payments") });
        Assert.Equal("/payments/api/v1/credits/balance", (await client.GetCreditBalanceAsync()).UserId);
    }

    [Fact]
    public async Task An_answer_that_is_not_a_problem_document_is_still_a_typed_error_with_its_status()
    {
        using var proxy = new HttpClient(new Answer(_ => new HttpResponseMessage(HttpStatusCode.BadGateway)
        {
            Content = new StringContent("<html>502 Bad Gateway</html>"),
        }));
        var e = await Assert.ThrowsAsync<PaymentsApiException>(
            () => new PaymentsClient(proxy, new PaymentsClientOptions { BaseAddress = new Uri("https://p.example/") }).GetPaymentAsync("pay_1"));
        Assert.Equal((HttpStatusCode.BadGateway, PaymentsErrorCode.Unknown), (e.StatusCode, e.Code));
        Assert.Contains("502 Bad Gateway", e.Detail);

        using var limiter = new HttpClient(new Answer(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            return response;
        }));
        var limited = await Assert.ThrowsAsync<PaymentsRateLimitedException>(
            () => new PaymentsClient(limiter, new PaymentsClientOptions { BaseAddress = new Uri("https://p.example/") }).GetPaymentAsync("pay_1"));
        Assert.Equal(TimeSpan.FromSeconds(7), limited.RetryAfter);
    }

    private sealed class Answer(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }
}
