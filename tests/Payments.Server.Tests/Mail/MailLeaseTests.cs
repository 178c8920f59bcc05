using Microsoft.EntityFrameworkCore;
using Payments.Server.Data;
using Payments.Server.Features.Mail;
using Payments.Server.Tests.Fakes;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Mail;

/// <summary>The worker's claim: never the same mail by two senders at once; a dead sender's mail goes out when its lease ends.</summary>
public abstract class MailLeaseTests<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : MailApp
{
    private PaymentsApp App => fixture.App;
    private SmtpSink Sink => fixture.Sink;

    private async Task<List<string>> Write(string to, int count, Func<PaymentsDb, List<string>, Task>? beforeCommit = null)
    {
        var mail = App.Get<MailOutbox>();
        var keys = Enumerable.Range(0, count).Select(i => $"test:{to}:{i}").ToList();
        await using var scope = App.Db();
        await using var tx = await scope.Context.BeginWriteAsync(CancellationToken.None);
        foreach (var key in keys)
            Assert.True(await mail.WriteAsync(scope.Context, "test", key, to, new RenderedMail(key, "text " + key, "<p>" + key + "</p>"),
                DateTimeOffset.UtcNow, CancellationToken.None));
        if (beforeCommit is not null) await beforeCommit(scope.Context, keys);
        await tx.CommitAsync(CancellationToken.None);
        return keys;
    }

    [Fact]
    public async Task Senders_racing_for_the_same_mails_send_each_once()
    {
        var to = $"race-{Guid.NewGuid():N}@customer.example";
        var keys = await Write(to, 25);
        // The service's own worker and four more passes at once: all compete for the same due rows.
        var dispatcher = App.Get<MailDispatcher>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var passes = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            var claimed = 0;
            while (await dispatcher.RunOnceAsync(CancellationToken.None) is var n and > 0) claimed += n;
            return claimed;
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(passes);

        await Sink.WaitFor(m => m.Count(x => x.Recipients.Contains(to)) >= keys.Count);
        await Task.Delay(600);
        var subjects = Sink.Messages.Where(x => x.Recipients.Contains(to)).Select(x => x.Message.Subject).ToList();
        Assert.Equal(keys.Order(), subjects.Order());
        await using var db = App.Db();
        Assert.All(await db.Context.MailOutbox.AsNoTracking().Where(m => m.Recipient == to).ToListAsync(),
            m => Assert.Equal((MailStatus.Sent, 1), (m.Status, m.Attempts)));
    }

    [Fact]
    public async Task A_mail_held_by_a_sender_that_died_goes_out_when_its_lease_ends_and_not_before()
    {
        var to = $"lease-{Guid.NewGuid():N}@customer.example";
        // As a node leaves them when it dies between claiming (or sending) and recording: pending, leased
        // (set before the commit, so the running worker never sees them unleased).
        var keys = await Write(to, 2, async (db, keys) =>
        {
            var now = DateTimeOffset.UtcNow;
            await db.MailOutbox.Where(m => m.DedupeKey == keys[0]).ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, now.AddSeconds(-1)));
            await db.MailOutbox.Where(m => m.DedupeKey == keys[1]).ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, now.AddHours(1)));
        });

        await Sink.WaitFor(m => m.Any(x => x.Recipients.Contains(to)));
        await Task.Delay(600);
        Assert.Equal([keys[0]], Sink.Messages.Where(x => x.Recipients.Contains(to)).Select(x => x.Message.Subject));
        await using var check = App.Db();
        var held = await check.Context.MailOutbox.AsNoTracking().SingleAsync(m => m.DedupeKey == keys[1]);
        Assert.Equal((MailStatus.Pending, 0), (held.Status, held.Attempts));
    }
}

public sealed class MailLeaseTests_Sqlite(SqliteMailApp app) : MailLeaseTests<SqliteMailApp>(app);

public sealed class MailLeaseTests_Postgres(PostgresMailApp app) : MailLeaseTests<PostgresMailApp>(app);
