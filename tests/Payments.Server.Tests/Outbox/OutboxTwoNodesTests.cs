using System.Net;
using System.Net.Http.Json;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Outbox;

/// <summary>Two service instances on one PostgreSQL, both dispatching: every event reaches the host once, never twice at once.</summary>
public sealed class OutboxTwoNodesTests : IAsyncLifetime
{
    private PostgresTestDatabase? _database;
    private PaymentsApp? _a;
    private PaymentsApp? _b;

    private static readonly Dictionary<string, string?> Fast = Credentials.Settings(new()
    {
        ["OUTBOX_POLL_MILLISECONDS"] = "20",
        ["WEBHOOK_RETRY_INITIAL_SECONDS"] = "0.1",
        ["WEBHOOK_RETRY_MAX_SECONDS"] = "0.3",
    });

    public async ValueTask InitializeAsync()
    {
        if (PostgresTestDatabase.ServerUrl is null)
        {
            if (PostgresTestDatabase.Required) throw new InvalidOperationException("PAYMENTS_TEST_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set.");
            return;
        }
        _database = await PostgresTestDatabase.CreateAsync();
        _a = new PaymentsApp(_database, Fast);
        _b = new PaymentsApp(_database, Fast);
    }

    [Fact]
    public async Task Two_dispatchers_deliver_each_event_once_and_never_the_same_one_at_once()
    {
        if (_a is null || _b is null) Assert.Skip("PostgreSQL tests need TEST_DATABASE_URL (./scripts/test.sh sets it).");
        // A slow host: each answer takes 30 ms, so two nodes holding the same delivery would overlap.
        await using var receiver = new HostReceiver(delay: TimeSpan.FromMilliseconds(30));
        using (var admin = _a.Client().As(Credentials.AdminKey))
            Assert.Equal(HttpStatusCode.Created,
                (await admin.PostAsJsonAsync("/api/v1/webhook-endpoints", new { url = receiver.Url.ToString(), events = new[] { "*" } })).StatusCode);

        var payments = new List<string>();
        for (var i = 0; i < 24; i++)
        {
            var node = i % 2 == 0 ? _a : _b;
            using var http = node.Client();
            var intent = await (await http.PostJson("/api/v1/payment/create-intent", new { plan = "basic" })).Body();
            await http.PostAsync($"/payments/simulate/{intent.Str("provider_payment_id")}", new FormUrlEncodedContent([new("outcome", "succeeded")]));
            payments.Add(intent.Str("payment_id"));
        }

        foreach (var id in payments) await receiver.WaitFor(id, r => r.Count >= 1, TimeSpan.FromSeconds(30));
        await Task.Delay(500); // anything sent twice would have arrived by now
        var received = receiver.All.Where(r => payments.Contains(r.PaymentId)).ToList();
        Assert.Equal(payments.Count, received.Count);
        Assert.Equal(payments.Count, received.Select(r => r.EventId).Distinct().Count());
        Assert.All(received, r => Assert.Equal("payment.succeeded", r.Type));
    }

    public async ValueTask DisposeAsync()
    {
        if (_a is not null) await _a.DisposeAsync();
        if (_b is not null) await _b.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}
