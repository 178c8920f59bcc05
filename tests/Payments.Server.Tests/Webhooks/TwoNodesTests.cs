using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Payments.Core.Payments;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Webhooks;

/// <summary>
/// Several nodes on one PostgreSQL database, each with its own batcher: their batches overlap on the
/// same payments and the same event ids, and every event must still be applied exactly once, without a
/// delivery failing (a deadlock between two nodes' batches would show up here as an error).
/// </summary>
public sealed class TwoNodesTests : IAsyncLifetime
{
    private PostgresTestDatabase? _database;
    private PaymentsApp? _a;
    private PaymentsApp? _b;

    public async ValueTask InitializeAsync()
    {
        if (PostgresTestDatabase.ServerUrl is null)
        {
            if (PostgresTestDatabase.Required) throw new InvalidOperationException("PAYMENTS_TEST_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set.");
            return;
        }
        _database = await PostgresTestDatabase.CreateAsync();
        // Payment reads held 10 ms: both nodes' batches sit on their locks at the same time.
        void Slow(IServiceCollection s) => s.AddSingleton<IInterceptor>(new SlowPaymentReads(TimeSpan.FromMilliseconds(10)));
        _a = new PaymentsApp(_database, services: Slow);
        _b = new PaymentsApp(_database, services: Slow);
    }

    [Fact]
    public async Task Two_service_instances_hammered_with_the_same_events_apply_each_exactly_once()
    {
        if (_a is null || _b is null) Assert.Skip("PostgreSQL tests need TEST_DATABASE_URL (./scripts/test.sh sets it).");
        var payments = new List<(string Id, string Dm)>();
        using (var http = _a.Client())
            for (var i = 0; i < 30; i++)
            {
                var intent = await (await http.PostJson("/api/v1/payment/create-intent", new { plan = "basic" })).Body();
                payments.Add((intent.Str("payment_id"), intent.Str("provider_payment_id")));
            }
        // Two different success events per payment (like checkout.session.completed and
        // payment_intent.succeeded), each delivered three times to each node, all at once, shuffled.
        var events = payments.SelectMany(p => new[] { ("evt_n1_" + p.Id, p), ("evt_n2_" + p.Id, p) }).ToList();
        var deliveries = events.SelectMany(e => Enumerable.Range(0, 6).Select(copy => (Event: e, Node: copy % 2 == 0 ? _a : _b))).ToList();
        new Random(7).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(deliveries));
        var clients = new[] { _a.Client(), _b.Client() };
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var sent = deliveries.Select(d => Task.Run(async () =>
        {
            await start.Task;
            var (eventId, payment) = d.Event;
            var body = DummyEvents.Body(eventId, "payment.succeeded", payment.Dm, 1900, "EUR");
            var response = await clients[d.Node == _a ? 0 : 1].Deliver(body, DummyEvents.Sign(body));
            var answer = await response.Content.ReadAsStringAsync();
            return (eventId, payment.Id, response.StatusCode,
                Outcome: response.StatusCode == HttpStatusCode.OK ? System.Text.Json.JsonDocument.Parse(answer).RootElement.Str("outcome") : answer);
        })).ToArray();
        start.SetResult();
        var answers = await Task.WhenAll(sent);

        Assert.All(answers, a => Assert.True(a.StatusCode == HttpStatusCode.OK, $"{a.StatusCode}: {a.Outcome}"));
        foreach (var perEvent in answers.GroupBy(a => a.eventId))
            Assert.Equal(5, perEvent.Count(a => a.Outcome == "duplicate"));
        foreach (var perPayment in answers.GroupBy(a => a.Id))
        {
            Assert.Equal(1, perPayment.Count(a => a.Outcome == "applied"));
            Assert.Equal(1, perPayment.Count(a => a.Outcome == "no_change"));
        }
        await using var db = _a.Db();
        var ids = payments.Select(p => p.Id).ToList();
        var rows = await db.Context.PaymentEvents.Where(e => e.PaymentId != null && ids.Contains(e.PaymentId)).ToListAsync();
        Assert.Equal(events.Count, rows.Count);
        Assert.Equal(events.Count, rows.Select(r => r.ExternalEventId).Distinct().Count());
        var audit = await db.Context.AuditLog.Where(a => a.PaymentId != null && ids.Contains(a.PaymentId)).ToListAsync();
        foreach (var id in ids)
        {
            Assert.Single(audit, a => a.PaymentId == id && a.Action == Settlement.FinalizeAction);
            Assert.Equal(2, audit.Count(a => a.PaymentId == id && a.Action == "payment.webhook"));
        }
        Assert.All(await db.Context.Payments.Where(p => ids.Contains(p.Id)).ToListAsync(), p => Assert.Equal(PaymentStatus.Succeeded, p.Status));
        foreach (var c in clients) c.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_a is not null) await _a.DisposeAsync();
        if (_b is not null) await _b.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}
