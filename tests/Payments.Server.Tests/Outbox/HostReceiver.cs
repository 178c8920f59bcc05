using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Payments.Server.Tests.Fakes;

namespace Payments.Server.Tests.Outbox;

/// <summary>
/// The host application's webhook endpoint on 127.0.0.1: records every request (body, signature, the
/// answer it gave) and answers 500 to the first <see cref="FailFirst"/> requests, then 200.
/// </summary>
public sealed class HostReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;
    private int _inFlight;

    public sealed record Received(string EventId, string Type, string PaymentId, JsonElement Object, string Body, string Signature, int Answer, DateTimeOffset At);

    public HostReceiver(int failFirst = 0, TimeSpan? delay = null)
    {
        _failFirst = failFirst;
        (_app, Url) = LoopbackServer.Start(async http =>
        {
            var concurrent = Interlocked.Increment(ref _inFlight);
            try
            {
                lock (this) MaxConcurrent = Math.Max(MaxConcurrent, concurrent);
                using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                using var json = JsonDocument.Parse(body);
                var root = json.RootElement;
                var eventId = root.GetProperty("id").GetString()!;
                var same = _inFlightByEvent.AddOrUpdate(eventId, 1, (_, n) => n + 1);
                lock (this) MaxSameEventAtOnce = Math.Max(MaxSameEventAtOnce, same);
                try
                {
                    if (delay is { } wait) await Task.Delay(wait, http.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The sender is gone (a node killed mid-delivery): its request no longer counts as in flight, or a
                    // live node's resend of the event during our delay would look like two senders at once.
                }
                finally
                {
                    _inFlightByEvent.AddOrUpdate(eventId, 0, (_, n) => n - 1);
                }
                var answer = Interlocked.Increment(ref _requests) <= Volatile.Read(ref _failFirst) ? 500 : 200;
                var obj = root.GetProperty("data").GetProperty("object").Clone();
                All.Enqueue(new Received(root.GetProperty("id").GetString()!, root.GetProperty("type").GetString()!,
                    obj.GetProperty("payment_id").GetString()!, obj, body, http.Request.Headers["Payments-Signature"].ToString(), answer, DateTimeOffset.UtcNow));
                http.Response.StatusCode = answer;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        });
    }

    private int _failFirst;
    private readonly ConcurrentDictionary<string, int> _inFlightByEvent = new();

    /// <summary>The most deliveries of one event that were in this endpoint at the same moment (two nodes sending one event: 2).</summary>
    public int MaxSameEventAtOnce { get; private set; }

    public Uri Url { get; }

    /// <summary>From now on, answer 200 unless fewer than <paramref name="requests"/> requests came in all (0: the host is back).</summary>
    public void FailFirstNow(int requests) => Volatile.Write(ref _failFirst, requests);
    public int MaxConcurrent { get; private set; }
    public ConcurrentQueue<Received> All { get; } = new();

    public List<Received> For(string paymentId) => All.Where(r => r.PaymentId == paymentId).ToList();

    /// <summary>Waits until <paramref name="done"/> holds for what was received (10 s at most).</summary>
    public async Task<List<Received>> WaitFor(string paymentId, Func<List<Received>, bool> done, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var got = For(paymentId);
            if (done(got)) return got;
            if (DateTime.UtcNow > until) throw new TimeoutException($"Receiver got {got.Count} requests for {paymentId}: {string.Join(", ", got.Select(g => $"{g.Type}→{g.Answer}"))}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
