using System.Net;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Credits;

/// <summary>
/// Balance-sensitive changes under concurrency. The fixtures hold every ledger read that decides
/// (the balance before a spend, earlier purchases before a referral bonus) for 100 ms, so racing
/// requests really overlap: without the account row lock these tests fail every time.
/// </summary>
public abstract class CreditRaceTests<TApp>(TApp fixture) : CreditTestsBase<TApp>(fixture) where TApp : AppFixture
{
    [Fact]
    public async Task Spends_racing_for_the_last_credits_never_spend_more_than_the_balance()
    {
        var user = NewUser("race");
        await Buy(user, package: "starter");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var spends = Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            await start.Task; // an awaited gate: blocking pool threads would starve a 2-core machine
            return (await Spend(user, 300, $"race-{i}")).StatusCode;
        })).ToArray();
        start.SetResult();
        var statuses = await Task.WhenAll(spends);

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal(100, await Balance(user));
        await AssertLedgerBalanced();
    }

    [Fact]
    public async Task Two_spends_with_one_reference_at_once_spend_once()
    {
        var user = NewUser("twin");
        await Buy(user, package: "starter");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var spends = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await (await Spend(user, 400, "same")).Body();
        })).ToArray();
        start.SetResult();
        var bodies = await Task.WhenAll(spends);

        Assert.Equal(bodies[0].Str("transaction_id"), bodies[1].Str("transaction_id"));
        Assert.Equal(600, await Balance(user));
    }

    [Fact]
    public async Task First_purchases_completing_at_the_same_moment_pay_the_referral_bonus_once()
    {
        var (referrer, buyer) = (NewUser("rosa"), NewUser("twins"));
        Assert.Equal(200, (int)(await SetReferral(buyer, await ReferralCode(referrer))).StatusCode);
        var purchases = new List<(string PaymentId, string DmId)>();
        for (var i = 0; i < 3; i++)
        {
            var (paymentId, dmId, _) = await StartPurchase(buyer, package: "starter");
            purchases.Add((paymentId, dmId));
        }
        var clients = purchases.Select(_ => App.Client()).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var deliveries = purchases.Select((p, i) => Task.Run(async () =>
        {
            var body = DummyEvents.Body("evt_first_" + p.PaymentId, "payment.succeeded", p.DmId, 1_000, "USD");
            await start.Task;
            var response = await clients[i].Deliver(body, DummyEvents.Sign(body));
            var answer = await response.Body();
            return (response.StatusCode, Outcome: answer.TryGetProperty("outcome", out var o) ? o.GetString() : answer.ToString());
        })).ToArray();
        start.SetResult();
        var results = await Task.WhenAll(deliveries);

        Assert.All(results, r => Assert.Equal((HttpStatusCode.OK, "applied"), (r.StatusCode, r.Outcome)));
        Assert.Equal(1, await Transactions(buyer, "referral_bonus"));
        Assert.Equal(3 * 1_000 + 1_000, await Balance(buyer));
        Assert.Equal(1_000, await Balance(referrer));
        await AssertLedgerBalanced();
        foreach (var c in clients) c.Dispose();
    }
}

public sealed class CreditRaceTests_Sqlite(SqliteSlowCreditsApp app) : CreditRaceTests<SqliteSlowCreditsApp>(app);

public sealed class CreditRaceTests_Postgres(PostgresSlowCreditsApp app) : CreditRaceTests<PostgresSlowCreditsApp>(app);
