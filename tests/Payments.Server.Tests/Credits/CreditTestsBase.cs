using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Credits;

/// <summary>Helpers for the credit tests: buy through the dummy checkout, spend, refund, read balances and check the ledger.</summary>
public abstract class CreditTestsBase<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : AppFixture
{
    protected PaymentsApp App => fixture.App;

    /// <summary>Tests share one service per class, so each uses users of its own.</summary>
    protected static string NewUser(string name) => $"{name}-{Guid.NewGuid().ToString("N")[..10]}";

    protected HttpClient AsUser(string user) => App.Client().As(Credentials.Jwt(user));

    protected HttpClient Admin() => App.Client().As(Credentials.AdminKey);

    /// <summary>create-intent for credits as the signed-in user; asserts 200.</summary>
    protected async Task<(string PaymentId, string DmId, JsonElement Intent)> StartPurchase(string user, string? package = null, long? credits = null)
    {
        using var client = AsUser(user);
        var response = await client.PostJson("/api/v1/payment/create-intent", new { credit_package = package, credits });
        var body = await response.Body();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return (body.Str("payment_id"), body.Str("provider_payment_id"), body);
    }

    /// <summary>"Pays" on the dummy's hosted page, which posts the signed success webhook to us.</summary>
    protected async Task Pay(string dmId)
    {
        using var client = App.Client();
        using var response = await client.PayDummy(dmId);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
    }

    protected async Task<string> Buy(string user, string? package = null, long? credits = null)
    {
        var (paymentId, dmId, _) = await StartPurchase(user, package, credits);
        await Pay(dmId);
        return paymentId;
    }

    /// <summary>The outbox rows about a user's credits, oldest first, as "type:payload".</summary>
    protected async Task<List<string>> CreditNews(string user)
    {
        await using var db = App.Db();
        return (await db.Context.Outbox.Where(o => o.ResourceType == "credit_account" && o.ResourceId == user).OrderBy(o => o.Id)
            .Select(o => new { o.Type, o.Payload }).ToListAsync()).Select(o => $"{o.Type}:{o.Payload}").ToList();
    }

    protected async Task<long> Balance(string user)
    {
        using var admin = Admin();
        var response = await admin.GetAsync($"/api/v1/credits/balance?user_id={Uri.EscapeDataString(user)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Body()).GetProperty("credits").GetInt64();
    }

    protected async Task<HttpResponseMessage> Spend(string user, long amount, string reference)
    {
        using var admin = Admin();
        return await admin.PostJson("/api/v1/credits/spend", new { user_id = user, amount, reference });
    }

    protected async Task<HttpResponseMessage> Refund(string paymentId, long? amount = null)
    {
        using var admin = Admin();
        return await admin.PostJson("/api/v1/payment/refund", amount is null ? new { payment_id = paymentId } : new { payment_id = paymentId, amount });
    }

    protected async Task<HttpResponseMessage> SetReferral(string user, string code)
    {
        using var client = AsUser(user);
        return await client.PutAsync("/api/v1/credits/referral",
            System.Net.Http.Json.JsonContent.Create(new { referred_by_code = code }, options: Json.Options));
    }

    protected async Task<string> ReferralCode(string user)
    {
        using var client = AsUser(user);
        return (await (await client.GetAsync("/api/v1/credits/referral")).Body()).Str("referral_code");
    }

    /// <summary>How many ledger transactions of a kind are about a user.</summary>
    protected async Task<int> Transactions(string user, string kind)
    {
        await using var db = App.Db();
        return await db.Context.CreditTransactions.CountAsync(t => t.UserId == user && t.Kind == kind);
    }

    /// <summary>The double-entry invariant over the whole database: every transaction, and so the ledger, sums to zero.</summary>
    protected async Task AssertLedgerBalanced()
    {
        await using var db = App.Db();
        var unbalanced = await db.Context.CreditEntries.GroupBy(e => e.TransactionId)
            .Select(g => new { g.Key, Sum = g.Sum(e => e.Amount), Count = g.Count() })
            .Where(g => g.Sum != 0 || g.Count < 2).ToListAsync();
        Assert.Empty(unbalanced);
        Assert.Equal(0, await db.Context.CreditEntries.SumAsync(e => e.Amount));
        Assert.Equal(await db.Context.CreditTransactions.CountAsync(),
            await db.Context.CreditEntries.Select(e => e.TransactionId).Distinct().CountAsync());
    }
}

/// <summary>A failure in a payment effect, on demand: every settlement of a chosen payment throws inside its transaction.</summary>
public sealed class FailingEffect : global::Payments.Server.Features.Payments.IPaymentEffects
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _failFor = new();

    public void FailFor(string paymentId) => _failFor[paymentId] = true;
    public void Heal(string paymentId) => _failFor.TryRemove(paymentId, out _);

    public bool AppliesTo(global::Payments.Server.Data.Entities.Payment payment, global::Payments.Core.Payments.SettlementDecision decision) => true;

    public Task ApplyAsync(global::Payments.Server.Data.PaymentsDb db, global::Payments.Server.Data.Entities.Payment payment,
        global::Payments.Core.Payments.SettlementDecision decision, DateTimeOffset now, CancellationToken ct) =>
        _failFor.ContainsKey(payment.Id) ? throw new InvalidOperationException($"effect failed for {payment.Id}") : Task.CompletedTask;
}
