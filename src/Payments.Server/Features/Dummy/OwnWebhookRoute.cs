using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Payments.Core.Errors;
using Payments.Providers.Dummy;

namespace Payments.Server.Features.Dummy;

/// <summary>
/// The dummy's pages deliver its signed events to our own webhook route over real HTTP, the path a real
/// provider's delivery takes (signature check, intake, batching), rather than calling the intake in process.
/// </summary>
public static class OwnWebhookRoute
{
    /// <summary>Posts one signed dummy event to <c>/api/v1/payment/webhook/dummy</c> on this process and returns the answer.</summary>
    public static async Task<HttpResponseMessage> DeliverAsync(
        IServer server, IHttpClientFactory http, byte[] body, string signatureHeader, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress(server), "/api/v1/payment/webhook/dummy"))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        message.Headers.TryAddWithoutValidation(DummyWireFormat.SignatureHeader, signatureHeader);
        return await http.CreateClient("self").SendAsync(message, ct);
    }

    /// <summary>Where this process listens, as a loopback URL (0.0.0.0 and [::] are not addresses to call).</summary>
    public static Uri BaseAddress(IServer server)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses.FirstOrDefault()
                      ?? throw new PaymentsException(ErrorKind.DependencyMissing, "The server has no listening address to deliver to.");
        var uri = new UriBuilder(address.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1"));
        if (uri.Host is "0.0.0.0" or "[::]" or "::") uri.Host = "127.0.0.1";
        return uri.Uri;
    }
}
