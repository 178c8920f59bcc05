using System.Net;
using Microsoft.EntityFrameworkCore;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Payments;
using Payments.Server.Features.Webhooks;
using Payments.Server.Tests.Payments;
using Payments.Server.Tests.Support;
using static Payments.Server.Tests.Webhooks.ScriptedEffects;

namespace Payments.Server.Tests.Webhooks;

/// <summary>
/// Group commit: deliveries applied together in one transaction, each in its own savepoint. One
/// delivery failing (in C#, in SQL, as a duplicate) must never fail or lose the others, and what it
/// had changed in memory must not leak into the decisions after it.
/// </summary>
public abstract class WebhookBatchTests<TApp>(TApp fixture) : PaymentFlowTestsBase<TApp>(fixture) where TApp : AppFixture
{
    [Fact]
    public async Task A_delivery_whose_effect_throws_or_writes_a_refused_row_fails_alone_and_the_rest_of_its_batch_commits()
    {
        var p = new (string Id, string Dm)[4];
        for (var i = 0; i < p.Length; i++) p[i] = await NewPendingPayment();
        var effects = new ScriptedEffects().On(p[1].Id, Act.Throw).On(p[2].Id, Act.BadRow);

        var settled = await Batches.ApplyAsync(App, p.Select((x, i) => Batches.Success($"evt_fx{i}_{x.Id}", x.Dm)).ToList(), effects);

        Assert.Equal(DeliveryOutcome.Applied, settled[0].Result?.Outcome);
        Assert.IsType<InvalidOperationException>(settled[1].Error);
        Assert.IsAssignableFrom<DbUpdateException>(settled[2].Error);
        Assert.Equal(DeliveryOutcome.Applied, settled[3].Result?.Outcome);
        foreach (var ok in new[] { p[0], p[3] })
        {
            Assert.Equal(PaymentStatus.Succeeded, (await Load(ok.Id)).Status);
            Assert.Equal(["payment.webhook", "payment.finalize", "test.effect"], (await AuditActions(ok.Id))[2..]);
        }
        foreach (var failed in new[] { p[1], p[2] })
        {
            Assert.Equal(PaymentStatus.Pending, (await Load(failed.Id)).Status);
            Assert.Equal(["payment.intent", "payment.checkout"], await AuditActions(failed.Id));
            Assert.Equal(0, await EventRows($"evt_fx{Array.IndexOf(p, failed)}_{failed.Id}"));
        }
    }

    [Fact]
    public async Task An_effect_runs_only_for_the_payments_it_says_it_concerns()
    {
        var p = new (string Id, string Dm)[3];
        for (var i = 0; i < p.Length; i++) p[i] = await NewPendingPayment();
        // Running it for an ignored payment throws, which would fail that delivery.
        var effects = new ScriptedEffects().Ignore(p[0].Id).Ignore(p[2].Id);

        var settled = await Batches.ApplyAsync(App, p.Select((x, i) => Batches.Success($"evt_only{i}_{x.Id}", x.Dm)).ToList(), effects);

        Assert.All(settled, s => Assert.Equal(DeliveryOutcome.Applied, s.Result?.Outcome));
        Assert.Equal(["test.effect"], (await AuditActions(p[1].Id)).Where(a => a == "test.effect"));
        Assert.DoesNotContain("test.effect", await AuditActions(p[0].Id));
        Assert.DoesNotContain("test.effect", await AuditActions(p[2].Id));
    }

    [Fact]
    public async Task Plan_payments_settle_in_one_send_beside_the_services_credit_effects()
    {
        // The service registers the credits effect; it concerns credits payments only, so a batch of plan
        // payments must not be split into one round trip per delivery (which halved the webhook rate).
        var p = new (string Id, string Dm)[5];
        for (var i = 0; i < p.Length; i++) p[i] = await NewPendingPayment();

        var (settled, sends) = await Batches.ApplyCountingAsync(App, p.Select((x, i) => Batches.Success($"evt_one{i}_{x.Id}", x.Dm)).ToList());

        Assert.All(settled, s => Assert.Equal(DeliveryOutcome.Applied, s.Result?.Outcome));
        Assert.Equal(1, sends);
    }

    [Fact]
    public async Task A_failed_delivery_is_undone_so_the_next_one_for_the_same_payment_applies()
    {
        var (paymentId, dmId) = await NewPendingPayment();
        var effects = new ScriptedEffects().On(paymentId, Act.ThrowOnce);

        var settled = await Batches.ApplyAsync(App, [Batches.Success("evt_u1_" + paymentId, dmId), Batches.Success("evt_u2_" + paymentId, dmId)], effects);

        Assert.NotNull(settled[0].Error);
        // Decided on the payment as it is without the first delivery (pending), not as the first left it.
        Assert.Equal(DeliveryOutcome.Applied, settled[1].Result?.Outcome);
        Assert.Equal("succeeded", settled[1].Result?.Status);
        Assert.Equal((0, 1), (await EventRows("evt_u1_" + paymentId), await EventRows("evt_u2_" + paymentId)));
        await using var db = App.Db();
        var finalize = await db.Context.AuditLog.SingleAsync(a => a.PaymentId == paymentId && a.Action == Settlement.FinalizeAction);
        Assert.Contains("evt_u2_" + paymentId, finalize.Data);
    }

    [Fact]
    public async Task The_same_event_twice_in_one_batch_is_applied_once_and_the_deliveries_after_it_still_apply()
    {
        var (first, firstDm) = await NewPendingPayment();
        var (second, secondDm) = await NewPendingPayment();
        var twice = Batches.Success("evt_b1_" + first, firstDm);

        // Sorted by event id, the copies are adjacent and the other payment's event comes after them:
        // it is sent in the same round trip as the failing insert and must be sent again.
        var settled = await Batches.ApplyAsync(App, [twice, twice, Batches.Success("evt_b2_" + second, secondDm)]);

        Assert.Equal([DeliveryOutcome.Applied, DeliveryOutcome.Duplicate], settled[..2].Select(s => s.Result!.Outcome).Order());
        Assert.Equal(DeliveryOutcome.Applied, settled[2].Result?.Outcome);
        Assert.Equal((1, 1), (await EventRows("evt_b1_" + first), await EventRows("evt_b2_" + second)));
        Assert.Single(await AuditActions(first), a => a == Settlement.FinalizeAction);
        Assert.Equal(PaymentStatus.Succeeded, (await Load(second)).Status);
    }

    [Fact]
    public async Task A_duplicate_another_transaction_commits_meanwhile_is_rolled_back_alone_and_the_next_delivery_applies()
    {
        var (paymentId, dmId) = await NewPendingPayment();
        var raced = "evt_r1_" + paymentId;
        await using var other = App.Db();
        await using var otherTx = await other.Context.Database.BeginTransactionAsync();
        other.Context.PaymentEvents.Add(new PaymentEvent
        {
            Provider = "dummy", ExternalEventId = raced, EventType = "payment.succeeded", ReceivedAt = DateTimeOffset.UtcNow,
            RawBody = "{}", Verification = "hmac-sha256", Outcome = "no_change",
        });
        await other.Context.SaveChangesAsync();

        // The batch cannot see the uncommitted row: PostgreSQL makes its insert wait for the other
        // transaction, SQLite its write lock. Once that commits, the insert (or the lookup) says duplicate.
        // (On a thread of its own: Microsoft.Data.Sqlite waits for a busy database by sleeping the thread.)
        var batch = Task.Run(() => Batches.ApplyAsync(App, [Batches.Success(raced, dmId), Batches.Success("evt_r2_" + paymentId, dmId)]));
        await Task.Delay(300);
        Assert.False(batch.IsCompleted);
        await otherTx.CommitAsync();
        var settled = await batch;

        Assert.Equal(DeliveryOutcome.Duplicate, settled[0].Result?.Outcome);
        Assert.Equal(DeliveryOutcome.Applied, settled[1].Result?.Outcome);
        Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);
        Assert.Equal(["payment.intent", "payment.checkout", "payment.webhook", "payment.finalize"], await AuditActions(paymentId));
    }

    [Fact]
    public async Task Concurrent_deliveries_are_committed_together_and_each_is_answered_after_its_commit()
    {
        var payments = new List<(string Id, string Dm)>();
        for (var i = 0; i < 48; i++) payments.Add(await NewPendingPayment());
        var batcher = App.Get<WebhookBatcher>();
        var commitsBefore = batcher.Commits;
        using var http = App.Client();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var deliveries = payments.Select(p => Task.Run(async () =>
        {
            await start.Task;
            var body = DummyEvents.Body("evt_gc_" + p.Id, "payment.succeeded", p.Dm, 1900, "EUR");
            var response = await http.Deliver(body, DummyEvents.Sign(body));
            return (response.StatusCode, Outcome: (await response.Body()).Str("outcome"), p.Id);
        })).ToArray();
        start.SetResult();
        var answers = await Task.WhenAll(deliveries);

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, "applied"), (a.StatusCode, a.Outcome)));
        // Every payment read takes 50 ms here, so deliveries pile up behind the first batch: one commit
        // each would be 48 commits.
        Assert.InRange(batcher.Commits - commitsBefore, 1, 12);
        foreach (var (id, _) in answers.Select(a => (a.Id, 0)))
            Assert.Equal(PaymentStatus.Succeeded, (await Load(id)).Status);
    }
}

public sealed class WebhookBatchTests_Sqlite(SqliteSlowReadsApp app) : WebhookBatchTests<SqliteSlowReadsApp>(app);

public sealed class WebhookBatchTests_Postgres(PostgresSlowReadsApp app) : WebhookBatchTests<PostgresSlowReadsApp>(app);
