using System.Data.Common;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Payments.Core.Payments;
using Payments.Server.Data;
using Payments.Server.Features.Webhooks;
using Payments.Server.Tests.Payments;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Webhooks;

/// <summary>
/// Makes the next <see cref="Remaining"/> locking reads of a webhook batch fail as a deadlock victim
/// would (PostgreSQL 40P01), after holding them 50 ms so that deliveries pile up into a batch first.
/// </summary>
public sealed class DeadlockOnBatchLock : DbCommandInterceptor
{
    public int Remaining;

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        if (!command.CommandText.StartsWith("SELECT * FROM payments WHERE id IN", StringComparison.Ordinal)) return result;
        await Task.Delay(50, cancellationToken);
        if (Interlocked.Decrement(ref Remaining) < 0) return result;
        await result.DisposeAsync();
        throw new PostgresException("deadlock detected (injected by the test)", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected);
    }
}

public abstract class DeadlockApp(DatabaseKind engine) : AppFixture(engine)
{
    public DeadlockOnBatchLock Deadlocks { get; } = new();
    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IInterceptor>(Deadlocks);
}

public sealed class SqliteDeadlockApp() : DeadlockApp(DatabaseKind.Sqlite);

public sealed class PostgresDeadlockApp() : DeadlockApp(DatabaseKind.Postgres);

/// <summary>
/// A batch that fails as a whole (a deadlock with another node, a lost connection) is rolled back and
/// its deliveries are applied one by one, deadlocks retried: none is failed or lost, none applied twice.
/// </summary>
public abstract class BatchFailureTests<TApp>(TApp app) : PaymentFlowTestsBase<TApp>(app) where TApp : DeadlockApp
{
    private readonly DeadlockOnBatchLock _deadlocks = app.Deadlocks;

    [Fact]
    public async Task Deliveries_of_a_batch_that_deadlocks_are_each_applied_once_and_answered_200()
    {
        var payments = new List<(string Id, string Dm)>();
        for (var i = 0; i < 12; i++) payments.Add(await NewPendingPayment());
        using var http = App.Client();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _deadlocks.Remaining = 2; // the first batch, and the first retry of one of its deliveries

        var deliveries = payments.Select(p => Task.Run(async () =>
        {
            await start.Task;
            var body = DummyEvents.Body("evt_dl_" + p.Id, "payment.succeeded", p.Dm, 1900, "EUR");
            var response = await http.Deliver(body, DummyEvents.Sign(body));
            return (response.StatusCode, Outcome: (await response.Body()).Str("outcome"), p.Id);
        })).ToArray();
        start.SetResult();
        var answers = await Task.WhenAll(deliveries);

        Assert.True(_deadlocks.Remaining < 0, "the injected deadlocks were used");
        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, "applied"), (a.StatusCode, a.Outcome)));
        await using var db = App.Db();
        foreach (var (id, _) in payments)
        {
            Assert.Equal(PaymentStatus.Succeeded, (await Load(id)).Status);
            Assert.Equal(1, await db.Context.AuditLog.CountAsync(a => a.PaymentId == id && a.Action == Settlement.FinalizeAction));
            Assert.Equal(1, await db.Context.PaymentEvents.CountAsync(e => e.PaymentId == id));
        }
    }
}

public sealed class BatchFailureTests_Sqlite(SqliteDeadlockApp app) : BatchFailureTests<SqliteDeadlockApp>(app);

public sealed class BatchFailureTests_Postgres(PostgresDeadlockApp app) : BatchFailureTests<PostgresDeadlockApp>(app);
