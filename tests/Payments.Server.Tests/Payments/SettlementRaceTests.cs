using System.Net;
using Microsoft.EntityFrameworkCore;
using Payments.Core.Payments;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Payments;

/// <summary>
/// Exactly-once under concurrency. The fixtures slow every payment read down (see
/// <see cref="SlowPaymentReads"/>) so that racing requests really overlap: without the row lock these
/// tests fail every time, not occasionally.
/// </summary>
public abstract class SettlementRaceTests<TApp>(TApp fixture) : PaymentFlowTestsBase<TApp>(fixture) where TApp : AppFixture
{
    [Fact]
    public async Task Fifty_concurrent_deliveries_of_one_event_finalize_exactly_once()
    {
        var (paymentId, dmId) = await NewPendingPayment();
        var eventId = "evt_storm_" + paymentId;
        var body = DummyEvents.Body(eventId, "payment.succeeded", dmId, 1900, "EUR");
        var signature = DummyEvents.Sign(body);
        var clients = Enumerable.Range(0, 10).Select(_ => App.Client()).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var deliveries = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            await start.Task; // an awaited gate: blocking pool threads would starve a 2-core machine
            var response = await clients[i % clients.Length].Deliver(body, signature);
            return (response.StatusCode, Outcome: (await response.Body()).Str("outcome"));
        })).ToArray();
        start.SetResult();
        var results = await Task.WhenAll(deliveries);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, results.Count(r => r.Outcome == "applied"));
        Assert.Equal(1, await EventRows(eventId));
        var actions = await AuditActions(paymentId);
        Assert.Equal(1, actions.Count(a => a == "payment.finalize"));
        Assert.Equal(1, actions.Count(a => a == "payment.webhook"));
        Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);
        foreach (var c in clients) c.Dispose();
    }

    [Fact]
    public async Task Different_success_events_for_one_payment_at_once_finalize_once()
    {
        // Ten distinct events (a provider can send checkout.session.completed and payment_intent.succeeded
        // for one payment): each records its own row, but only one may move the payment.
        var (paymentId, dmId) = await NewPendingPayment();
        var bodies = Enumerable.Range(0, 10)
            .Select(i => DummyEvents.Body($"evt_{i}_{paymentId}", "payment.succeeded", dmId, 1900, "EUR")).ToArray();
        var clients = bodies.Select(_ => App.Client()).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var deliveries = bodies.Select((body, i) => Task.Run(async () =>
        {
            await start.Task; // an awaited gate: blocking pool threads would starve a 2-core machine
            var response = await clients[i].Deliver(body, DummyEvents.Sign(body));
            return (response.StatusCode, Outcome: (await response.Body()).Str("outcome"));
        })).ToArray();
        start.SetResult();
        var results = await Task.WhenAll(deliveries);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, results.Count(r => r.Outcome == "applied"));
        Assert.Equal(9, results.Count(r => r.Outcome == "no_change"));
        Assert.Single(await AuditActions(paymentId), x => x == "payment.finalize");
        await using var db = App.Db();
        Assert.Equal(10, await db.Context.PaymentEvents.CountAsync(e => e.PaymentId == paymentId));
        foreach (var c in clients) c.Dispose();
    }
}

public sealed class SettlementRaceTests_Sqlite(SqliteSlowReadsApp app) : SettlementRaceTests<SqliteSlowReadsApp>(app);

public sealed class SettlementRaceTests_Postgres(PostgresSlowReadsApp app) : SettlementRaceTests<PostgresSlowReadsApp>(app);
