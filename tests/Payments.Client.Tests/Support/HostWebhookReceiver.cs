using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Payments.Server.Tests.Fakes;

namespace Payments.Client.Tests.Support;

/// <summary>
/// A host application's webhook route on 127.0.0.1, written as a host would write it with the client:
/// read the raw body, <see cref="WebhookEvent.ParseVerified"/> it with the endpoint's secret, answer 400
/// when the signature does not hold and 200 once the event is kept.
/// </summary>
public sealed class HostWebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    public sealed record Delivery(WebhookEvent Event, string Header, byte[] Body);

    public HostWebhookReceiver()
    {
        (_app, Url) = LoopbackServer.Start(async http =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var header = http.Request.Headers[WebhookSignature.Header].ToString();
            try
            {
                var received = WebhookEvent.ParseVerified(body, header, Secret ?? "not yet known", DateTimeOffset.UtcNow);
                Verified.Enqueue(new Delivery(received, header, body));
                http.Response.StatusCode = 200;
            }
            catch (WebhookSignatureException)
            {
                Refused.Enqueue(body);
                http.Response.StatusCode = 400;
            }
        });
    }

    public Uri Url { get; }

    /// <summary>The endpoint's secret, set once the endpoint is registered (the URL has to exist first).</summary>
    public string? Secret { get; set; }

    public ConcurrentQueue<Delivery> Verified { get; } = new();
    public ConcurrentQueue<byte[]> Refused { get; } = new();

    /// <summary>Waits (15 s at most) for a verified delivery that <paramref name="match"/> picks.</summary>
    public async Task<Delivery> WaitFor(Func<WebhookEvent, bool> match)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            if (Verified.FirstOrDefault(d => match(d.Event)) is { } found) return found;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"No matching delivery; verified: {string.Join(", ", Verified.Select(d => d.Event.Type))}; refused: {Refused.Count}.");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
