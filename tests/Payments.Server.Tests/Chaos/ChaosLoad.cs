using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Chaos;

/// <summary>A stretch of time in which the service was allowed to fail (a node killed, the database restarting).</summary>
public sealed record Outage(string What, DateTimeOffset From, DateTimeOffset To)
{
    public bool Covers(DateTimeOffset at) => at >= From && at <= To;
}

/// <summary>
/// The provider's side of the run, as a real one behaves: every delivery is retried until it is answered
/// 2xx (to whichever node is up, as a load balancer would), and everything it was told is kept so the
/// checks can ask "was anything answered 2xx and then lost?".
/// </summary>
public sealed class ChaosLoad(IReadOnlyList<RunningServer> nodes, TimeSpan deadline)
{
    private readonly DateTimeOffset _until = DateTimeOffset.UtcNow + deadline;

    public ConcurrentBag<(DateTimeOffset At, string Node, int Status, string What)> ServerErrors { get; } = new();
    public ConcurrentDictionary<string, int> Accepted { get; } = new();
    public int Deliveries => _deliveries;
    public int ConnectionFailures => _connectionFailures;
    private int _deliveries;
    private int _connectionFailures;

    /// <summary>Sends one signed dummy event to <paramref name="node"/> (then any node) until it is answered 2xx.</summary>
    public Task DeliverAsync(int node, string eventId, string type, string dmId, long amount, string currency)
    {
        var body = DummyEvents.Body(eventId, type, dmId, amount, currency);
        return UntilAccepted(node, eventId, client => client.Deliver(body, DummyEvents.Sign(body)));
    }

    /// <summary>A refund (admin), retried under one Idempotency-Key, so a retry after a lost answer refunds once.</summary>
    public Task RefundAsync(int node, string paymentId, long amount) =>
        UntilAccepted(node, $"refund:{paymentId}", client =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payment/refund")
            {
                Content = JsonContent.Create(new { payment_id = paymentId, amount, reason = "chaos" }),
            };
            request.Headers.Add("Idempotency-Key", $"chaos-refund-{paymentId}");
            request.Headers.Authorization = new("Bearer", Credentials.AdminKey);
            return client.SendAsync(request);
        });

    /// <summary>The customer pays on the dummy's page (so the dummy's own books say paid, and a refund can go through it); 303 is done.</summary>
    public Task PayOnPageAsync(int node, string dmId) =>
        UntilAccepted(node, $"page:{dmId}",
            client => client.PostAsync($"/payments/simulate/{dmId}", new FormUrlEncodedContent([new("outcome", "succeeded")])),
            response => response.StatusCode == HttpStatusCode.SeeOther);

    private async Task UntilAccepted(
        int node, string what, Func<HttpClient, Task<HttpResponseMessage>> send, Func<HttpResponseMessage, bool>? done = null)
    {
        var last = "no answer";
        for (var attempt = 0; ; attempt++)
        {
            if (DateTimeOffset.UtcNow > _until) throw new TimeoutException($"{what} was never accepted; the last answer: {last}");
            var target = nodes[(node + attempt) % nodes.Count];
            using var client = target.Client(TimeSpan.FromSeconds(10));
            Interlocked.Increment(ref _deliveries);
            try
            {
                using var response = await send(client);
                var status = (int)response.StatusCode;
                last = $"{target.Name}: {status} {await response.Content.ReadAsStringAsync()}";
                if (done?.Invoke(response) ?? response.IsSuccessStatusCode)
                {
                    Accepted.AddOrUpdate(what, 1, (_, n) => n + 1);
                    return;
                }
                if (status >= 500) ServerErrors.Add((DateTimeOffset.UtcNow, target.Name, status, what));
                else throw new InvalidOperationException($"{what} was refused by {target.Name}: {status} {await response.Content.ReadAsStringAsync()}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The node is down (or did not answer in time): try again, maybe elsewhere.
                Interlocked.Increment(ref _connectionFailures);
                last = $"{target.Name}: {e.GetType().Name} {e.Message}";
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100 + Random.Shared.Next(200)));
        }
    }

    public static async Task<(string PaymentId, string DmId, long Amount, string Currency)> CreatePaymentAsync(RunningServer node, int i)
    {
        using var admin = node.Client().As(Credentials.AdminKey);
        // Half plans, half credits: a credits purchase also writes the ledger, which must balance.
        object body = i % 2 == 0 ? new { plan = "basic" } : new { credits = 1000, user_id = $"chaos-user-{i}" };
        var response = await admin.PostJson("/api/v1/payment/create-intent", body);
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"create-intent: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var intent = await response.Body();
        return (intent.Str("payment_id"), intent.Str("provider_payment_id"), intent.GetProperty("amount").GetInt64(), intent.Str("currency"));
    }
}
