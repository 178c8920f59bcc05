using Payments.Core.Providers;
using Payments.Providers.Dummy;
using Payments.Server.Tests.Support;
using M = Payments.Core.Money.Money;

namespace Payments.Server.Tests.Dummy;

/// <summary>The dummy's checkouts in our database follow a provider's rules, also under concurrent callers, on each engine.</summary>
public abstract class DummyCheckoutStoreTests<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : AppFixture
{
    private IDummyCheckoutStore Store => fixture.App.Get<IDummyCheckoutStore>();

    private static DummyCheckout Candidate(string id, long minor = 1900) =>
        new(id, "pay_" + id, M.Of(minor, "EUR"), $"http://127.0.0.1:5080/payments/thanks?payment_id=pay_{id}",
            $"http://127.0.0.1:5080/payments/cancel?payment_id=pay_{id}", ProviderPaymentStatus.Pending, 0);

    private static string NewId() => "dm_test_" + Guid.NewGuid().ToString("N");

    private async Task<DummyCheckout> Paid(long minor = 1900)
    {
        var checkout = await Store.CreateOnceAsync(NewId(), Candidate(NewId(), minor), default);
        return (await Store.SettleAsync(checkout.Id, ProviderPaymentStatus.Succeeded, default))!;
    }

    [Fact]
    public async Task A_checkout_is_created_once_per_idempotency_key_also_by_concurrent_callers()
    {
        var key = NewId();
        var kept = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Store.CreateOnceAsync(key, Candidate(NewId()), default)));

        Assert.Single(kept.Select(c => c.Id).Distinct());
        var found = await Store.FindAsync(kept[0].Id, default);
        Assert.Equal(kept[0], found);
        Assert.Equal((ProviderPaymentStatus.Pending, 0L, M.Of(1900, "EUR")), (found!.Status, found.RefundedMinor, found.Amount));
        Assert.Equal($"http://127.0.0.1:5080/payments/thanks?payment_id=pay_{found.Id}", found.SuccessUrl.ToString());
        Assert.Null(await Store.FindAsync("dm_never_made", default));
    }

    [Fact]
    public async Task An_open_checkout_takes_the_customers_choice_a_declined_one_may_be_paid_after_all_and_paid_or_canceled_is_final()
    {
        var paid = await Store.CreateOnceAsync(NewId(), Candidate(NewId()), default);
        Assert.Equal(ProviderPaymentStatus.Declined, (await Store.SettleAsync(paid.Id, ProviderPaymentStatus.Declined, default))!.Status);
        Assert.Equal(ProviderPaymentStatus.Succeeded, (await Store.SettleAsync(paid.Id, ProviderPaymentStatus.Succeeded, default))!.Status);
        Assert.Equal(ProviderPaymentStatus.Succeeded, (await Store.SettleAsync(paid.Id, ProviderPaymentStatus.Canceled, default))!.Status);

        var canceled = await Store.CreateOnceAsync(NewId(), Candidate(NewId()), default);
        await Store.SettleAsync(canceled.Id, ProviderPaymentStatus.Canceled, default);
        Assert.Equal(ProviderPaymentStatus.Canceled, (await Store.SettleAsync(canceled.Id, ProviderPaymentStatus.Succeeded, default))!.Status);

        Assert.Null(await Store.SettleAsync("dm_never_made", ProviderPaymentStatus.Succeeded, default));
    }

    [Fact]
    public async Task A_refund_happens_once_per_key_and_only_on_a_paid_checkout_within_what_was_paid()
    {
        var open = await Store.CreateOnceAsync(NewId(), Candidate(NewId()), default);
        Assert.Equal((false, "payment is not paid"), Ok(await Store.RefundOnceAsync(open.Id, 100, NewId(), default)));
        Assert.Equal((false, "unknown payment"), Ok(await Store.RefundOnceAsync("dm_never_made", 100, NewId(), default)));

        var paid = await Paid();
        Assert.Equal((true, null), Ok(await Store.RefundOnceAsync(paid.Id, 1000, "r1-" + paid.Id, default)));
        Assert.Equal((true, null), Ok(await Store.RefundOnceAsync(paid.Id, 1000, "r1-" + paid.Id, default))); // the same refund again
        Assert.Equal((false, "refund exceeds the paid amount"), Ok(await Store.RefundOnceAsync(paid.Id, 1000, "r2-" + paid.Id, default)));
        Assert.Equal((true, null), Ok(await Store.RefundOnceAsync(paid.Id, 900, "r2-" + paid.Id, default))); // a refused key was not kept
        Assert.Equal(1900, (await Store.FindAsync(paid.Id, default))!.RefundedMinor);
    }

    [Fact]
    public async Task Concurrent_refunds_never_refund_more_than_was_paid()
    {
        var paid = await Paid();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Store.RefundOnceAsync(paid.Id, 500, $"r{i}-{paid.Id}", default)));

        Assert.Equal(3, outcomes.Count(o => o.Ok));
        Assert.Equal(1500, (await Store.FindAsync(paid.Id, default))!.RefundedMinor);
    }

    private static (bool, string?) Ok(DummyRefundOutcome outcome) => (outcome.Ok, outcome.Why);
}

public sealed class DummyCheckoutStoreTests_Sqlite(SqliteApp app) : DummyCheckoutStoreTests<SqliteApp>(app);

public sealed class DummyCheckoutStoreTests_Postgres(PostgresApp app) : DummyCheckoutStoreTests<PostgresApp>(app);
