using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Providers.Dummy;
using Payments.Server.Data;
using Payments.Server.Features.Payments;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Payments;

/// <summary>A service whose clock the test can move forward.</summary>
public abstract class ClockApp(DatabaseKind engine) : AppFixture(engine)
{
    public ManualClock Clock { get; } = new();
    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

public sealed class SqliteClockApp() : ClockApp(DatabaseKind.Sqlite);

public sealed class PostgresClockApp() : ClockApp(DatabaseKind.Postgres);

/// <summary>Payments whose webhook never came are healed by the worker, not left pending forever.</summary>
public abstract class ReconciliationTests<TApp>(TApp fixture, ManualClock clock) : PaymentFlowTestsBase<TApp>(fixture) where TApp : AppFixture
{
    private Task<int> Round() => App.Get<ReconciliationWorker>().RunOnceAsync(CancellationToken.None);

    [Fact]
    public async Task A_payment_paid_at_the_provider_whose_webhook_was_lost_is_settled_after_the_cutoff()
    {
        var (paymentId, dmId) = await NewPendingPayment();
        App.Get<DummyProvider>().Simulate(dmId, ProviderPaymentStatus.Succeeded); // paid, webhook lost

        await Round();
        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status); // too young to be chased

        clock.Advance(TimeSpan.FromMinutes(16));
        await Round();

        Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);
        await using var db = App.Db();
        var finalize = await db.Context.AuditLog.SingleAsync(a => a.PaymentId == paymentId && a.Action == Settlement.FinalizeAction);
        Assert.Equal(ReconciliationWorker.Actor, finalize.Actor);
    }

    [Fact]
    public async Task A_payment_the_customer_abandoned_stays_pending_and_a_failure_is_recorded()
    {
        var (openId, _) = await NewPendingPayment();
        var (failedId, failedDm) = await NewPendingPayment();
        App.Get<DummyProvider>().Simulate(failedDm, ProviderPaymentStatus.Declined);
        clock.Advance(TimeSpan.FromMinutes(16));

        await Round();
        await Round(); // a second round changes nothing more

        Assert.Equal(PaymentStatus.Pending, (await Load(openId)).Status);
        Assert.Equal(PaymentStatus.Failed, (await Load(failedId)).Status);
        await using var db = App.Db();
        Assert.Equal(1, await db.Context.AuditLog.CountAsync(a => a.PaymentId == failedId && a.Action == Settlement.StatusAction));
    }
}

public sealed class ReconciliationTests_Sqlite(SqliteClockApp app) : ReconciliationTests<SqliteClockApp>(app, app.Clock);

public sealed class ReconciliationTests_Postgres(PostgresClockApp app) : ReconciliationTests<PostgresClockApp>(app, app.Clock);
