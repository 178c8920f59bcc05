using System.Net;
using Microsoft.EntityFrameworkCore;
using Payments.Core.Payments;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Credits;

/// <summary>
/// Payment effects run inside the settling transaction: when one fails, nothing of that settlement
/// is kept (payment state, event row, audit rows, the credits another effect added), and a retry
/// applies it whole.
/// </summary>
public abstract class PaymentEffectsTests<TApp>(TApp fixture) : CreditTestsBase<TApp>(fixture) where TApp : AppFixture
{
    private FailingEffect Failing => App.Get<FailingEffect>();

    [Fact]
    public async Task A_failing_effect_rolls_the_webhook_settlement_back_and_the_retry_applies_it()
    {
        var user = NewUser("fx");
        var (paymentId, dmId, _) = await StartPurchase(user, package: "starter");
        var body = DummyEvents.Body("evt_fx_" + paymentId, "payment.succeeded", dmId, 1_000, "USD");
        using var http = App.Client();

        Failing.FailFor(paymentId);
        var failed = await http.Deliver(body, DummyEvents.Sign(body));

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        await AssertUntouched(paymentId, PaymentStatus.Pending, user);
        Assert.Equal(0, await EventRows("evt_fx_" + paymentId)); // the provider's retry is not mistaken for a duplicate

        Failing.Heal(paymentId);
        var retry = await http.Deliver(body, DummyEvents.Sign(body));
        Assert.Equal("applied", (await retry.Body()).Str("outcome"));
        Assert.Equal(1_000, await Balance(user));
    }

    [Fact]
    public async Task A_failing_effect_rolls_the_verify_settlement_back()
    {
        var user = NewUser("fxv");
        var (paymentId, dmId, _) = await StartPurchase(user, package: "starter");
        Failing.FailFor(paymentId);
        using var owner = AsUser(user);
        // The dummy now says succeeded, but its webhook to us failed (so its page answers 502).
        var paid = await owner.PayDummy(dmId);
        Assert.Equal(HttpStatusCode.BadGateway, paid.StatusCode);

        var failed = await owner.PostJson("/api/v1/payment/verify", new { payment_id = paymentId });

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        await AssertUntouched(paymentId, PaymentStatus.Pending, user);
        Failing.Heal(paymentId);
        Assert.Equal("succeeded", (await (await owner.PostJson("/api/v1/payment/verify", new { payment_id = paymentId })).Body()).Str("status"));
        Assert.Equal(1_000, await Balance(user));
    }

    [Fact]
    public async Task A_failing_effect_rolls_the_refund_settlement_back()
    {
        var user = NewUser("fxr");
        var paymentId = await Buy(user, package: "starter");
        Failing.FailFor(paymentId);

        var failed = await Refund(paymentId, 400);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        await using var db = App.Db();
        var payment = await db.Context.Payments.AsNoTracking().SingleAsync(p => p.Id == paymentId);
        Assert.Equal((PaymentStatus.Succeeded, 0L), (payment.Status, payment.RefundedMinor));
        Assert.Equal(1_000, await Balance(user));
        Assert.Equal(0, await Transactions(user, "refund"));
    }

    private async Task AssertUntouched(string paymentId, PaymentStatus status, string user)
    {
        await using var db = App.Db();
        Assert.Equal(status, (await db.Context.Payments.AsNoTracking().SingleAsync(p => p.Id == paymentId)).Status);
        Assert.False(await db.Context.AuditLog.AnyAsync(a => a.PaymentId == paymentId && (a.Action == "payment.finalize" || a.Action == "credits.grant")));
        Assert.False(await db.Context.CreditTransactions.AnyAsync(t => t.PaymentId == paymentId)); // the credits effect ran first; rolled back too
        Assert.Equal(0, await Balance(user));
    }

    private async Task<int> EventRows(string eventId)
    {
        await using var db = App.Db();
        return await db.Context.PaymentEvents.CountAsync(e => e.ExternalEventId == eventId);
    }
}

public sealed class PaymentEffectsTests_Sqlite(SqliteFailingEffectApp app) : PaymentEffectsTests<SqliteFailingEffectApp>(app);

public sealed class PaymentEffectsTests_Postgres(PostgresFailingEffectApp app) : PaymentEffectsTests<PostgresFailingEffectApp>(app);
