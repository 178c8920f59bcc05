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
    // Two per round: the tests show that payments the provider keeps calling "pending" cannot starve the rest.
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RECONCILE_BATCH_SIZE"] = "2" };
    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

public sealed class SqliteClockApp() : ClockApp(DatabaseKind.Sqlite);

public sealed class PostgresClockApp() : ClockApp(DatabaseKind.Postgres);

/// <summary>Payments whose webhook never came are healed by the worker, not left pending forever.</summary>
public abstract class ReconciliationTests<TApp>(TApp fixture, ManualClock clock) : PaymentFlowTestsBase<TApp>(fixture) where TApp : AppFixture
{
    private Task<int> Round() => App.Get<ReconciliationWorker>().RunOnceAsync(CancellationToken.None);

    /// <summary>Runs rounds until the payment reaches the status (or gives up): batches are small on purpose.</summary>
    private async Task<PaymentStatus> RoundsUntil(string paymentId, PaymentStatus wanted, int rounds = 12)
    {
        for (var i = 0; i < rounds && (await Load(paymentId)).Status != wanted; i++) await Round();
        return (await Load(paymentId)).Status;
    }

    [Fact]
    public async Task A_payment_paid_at_the_provider_whose_webhook_was_lost_is_settled_after_the_cutoff()
    {
        var (paymentId, dmId) = await NewPendingPayment();
        await App.Get<DummyProvider>().SimulateAsync(dmId, ProviderPaymentStatus.Succeeded, default); // paid, webhook lost

        await Round();
        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status); // too young to be chased

        clock.Advance(TimeSpan.FromMinutes(16));

        Assert.Equal(PaymentStatus.Succeeded, await RoundsUntil(paymentId, PaymentStatus.Succeeded));
        await using var db = App.Db();
        var finalize = await db.Context.AuditLog.SingleAsync(a => a.PaymentId == paymentId && a.Action == Settlement.FinalizeAction);
        Assert.Equal(ReconciliationWorker.Actor, finalize.Actor);
    }

    [Fact]
    public async Task A_payment_the_customer_abandoned_stays_pending_and_a_failure_is_recorded()
    {
        var (openId, _) = await NewPendingPayment();
        var (failedId, failedDm) = await NewPendingPayment();
        await App.Get<DummyProvider>().SimulateAsync(failedDm, ProviderPaymentStatus.Declined, default);
        clock.Advance(TimeSpan.FromMinutes(16));

        Assert.Equal(PaymentStatus.Failed, await RoundsUntil(failedId, PaymentStatus.Failed));
        for (var i = 0; i < 4; i++) await Round(); // more rounds change nothing more
        Assert.Equal(PaymentStatus.Pending, (await Load(openId)).Status);
        Assert.Equal(PaymentStatus.Failed, (await Load(failedId)).Status);
        await using var db = App.Db();
        Assert.Equal(1, await db.Context.AuditLog.CountAsync(a => a.PaymentId == failedId && a.Action == Settlement.StatusAction));
    }

    [Fact]
    public async Task Payments_the_provider_keeps_calling_pending_do_not_starve_a_newer_one_that_was_paid()
    {
        for (var i = 0; i < 3; i++) await NewPendingPayment(); // abandoned: the provider says "pending" forever
        var (paidId, paidDm) = await NewPendingPayment();
        await App.Get<DummyProvider>().SimulateAsync(paidDm, ProviderPaymentStatus.Succeeded, default);
        clock.Advance(TimeSpan.FromMinutes(16));

        Assert.Equal(PaymentStatus.Succeeded, await RoundsUntil(paidId, PaymentStatus.Succeeded));
    }

    [Fact]
    public async Task A_declined_card_then_a_second_card_that_paid_is_healed_from_failed()
    {
        var (paymentId, dmId) = await NewPendingPayment();
        await App.Get<DummyProvider>().SimulateAsync(dmId, ProviderPaymentStatus.Declined, default);
        clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(PaymentStatus.Failed, await RoundsUntil(paymentId, PaymentStatus.Failed));

        await App.Get<DummyProvider>().SimulateAsync(dmId, ProviderPaymentStatus.Succeeded, default); // the buyer tried another card; webhook lost
        clock.Advance(TimeSpan.FromMinutes(16));

        Assert.Equal(PaymentStatus.Succeeded, await RoundsUntil(paymentId, PaymentStatus.Succeeded));
    }

    [Fact]
    public async Task A_paid_payment_whose_refund_answer_was_lost_is_completed_by_the_worker()
    {
        // The provider refunded, but our call ended without an answer (the refund row stayed pending) and no
        // webhook came: only the worker's lost-refund query finds the payment, which is not pending.
        var (paymentId, dmId) = await NewPendingPayment();
        var dummy = App.Get<DummyProvider>();
        await dummy.SimulateAsync(dmId, ProviderPaymentStatus.Succeeded, default);
        clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(PaymentStatus.Succeeded, await RoundsUntil(paymentId, PaymentStatus.Succeeded));
        var eur = Core.Money.Currency.Of("EUR");
        await dummy.RefundAsync(new RefundRequest(paymentId, dmId, null, new Core.Money.Money(500, eur), "re_lost", null), default);
        await using (var db = App.Db())
        {
            var now = clock.GetUtcNow();
            db.Context.Refunds.Add(new Server.Data.Entities.Refund
            {
                Id = "re_lost", PaymentId = paymentId, AmountMinor = 500, Currency = "EUR", Status = Server.Data.Entities.Refund.Pending,
                RequestedBy = "admin:test", CreatedAt = now, UpdatedAt = now,
            });
            await db.Context.SaveChangesAsync();
        }

        clock.Advance(TimeSpan.FromMinutes(16));

        Assert.Equal(PaymentStatus.PartiallyRefunded, await RoundsUntil(paymentId, PaymentStatus.PartiallyRefunded));
        await using var check = App.Db();
        Assert.Equal(Server.Data.Entities.Refund.Succeeded, (await check.Context.Refunds.SingleAsync(r => r.Id == "re_lost")).Status);
        Assert.Equal(500, (await Load(paymentId)).RefundedMinor);
    }

    [Fact]
    public async Task Payments_older_than_the_maximum_age_are_no_longer_chased()
    {
        var (paymentId, dmId) = await NewPendingPayment();
        clock.Advance(TimeSpan.FromDays(8));
        await App.Get<DummyProvider>().SimulateAsync(dmId, ProviderPaymentStatus.Succeeded, default);

        Assert.Equal(PaymentStatus.Pending, await RoundsUntil(paymentId, PaymentStatus.Succeeded, rounds: 6));
    }
}

public sealed class ReconciliationTests_Sqlite(SqliteClockApp app) : ReconciliationTests<SqliteClockApp>(app, app.Clock);

public sealed class ReconciliationTests_Postgres(PostgresClockApp app) : ReconciliationTests<PostgresClockApp>(app, app.Clock);
