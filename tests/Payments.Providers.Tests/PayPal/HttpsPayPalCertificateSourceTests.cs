using System.Net;
using System.Text.Json;
using Payments.Core.Providers;
using Payments.Providers.PayPal;
using Payments.Providers.Tests.Support;
using Payments.Tests.TestData;

namespace Payments.Providers.Tests.PayPal;

/// <summary>The production certificate source, with the network replaced by a handler that answers in memory.</summary>
public class HttpsPayPalCertificateSourceTests
{
    private static readonly string Pem = JsonDocument.Parse(File.ReadAllText(TestVectors.PayPalWebhookPath))
        .RootElement.GetProperty("certificate_pem").GetString()!;

    private sealed class Handler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body) });
        }
    }

    [Fact]
    public async Task A_paypal_com_certificate_is_fetched_once_and_kept()
    {
        var handler = new Handler(HttpStatusCode.OK, Pem);
        var source = new HttpsPayPalCertificateSource(new HttpClient(handler));
        var url = new Uri("https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270");

        var first = await source.GetAsync(url, default);
        var second = await source.GetAsync(url, default);

        Assert.Same(first, second);
        Assert.Equal([url], handler.Requests);
        Assert.Contains("messageverificationcerts.sandbox.paypal.com", first.Subject);
    }

    [Theory]
    [InlineData("http://api.paypal.com/cert")]
    [InlineData("https://evil.example/cert")]
    public async Task Other_urls_are_never_fetched(string url)
    {
        var handler = new Handler(HttpStatusCode.OK, Pem);
        var source = new HttpsPayPalCertificateSource(new HttpClient(handler));
        await Assert.ThrowsAsync<ArgumentException>(() => source.GetAsync(new Uri(url), default));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task An_unreachable_or_failing_certificate_url_is_provider_unavailable_and_not_cached()
    {
        var handler = new Handler(HttpStatusCode.ServiceUnavailable, "");
        var source = new HttpsPayPalCertificateSource(new HttpClient(handler));
        var url = new Uri("https://api.paypal.com/v1/notifications/certs/CERT-1");
        await Assert.ThrowsAsync<ProviderUnavailableException>(() => source.GetAsync(url, default));
        await Assert.ThrowsAsync<ProviderUnavailableException>(() => source.GetAsync(url, default));
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task Something_that_is_not_a_certificate_is_a_provider_error()
    {
        var source = new HttpsPayPalCertificateSource(new HttpClient(new Handler(HttpStatusCode.OK, "<html>hello</html>")));
        await Assert.ThrowsAsync<ProviderErrorException>(() => source.GetAsync(new Uri("https://api.paypal.com/cert"), default));
    }
}
