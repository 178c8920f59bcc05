using Microsoft.Extensions.DependencyInjection;
using Payments.Server.Tests.Support;
using Core = global::Payments.Core;

namespace Payments.Server.Tests.Credits;

/// <summary>Spending by the host application, and refunds that take credits back (into the negative if need be).</summary>
public abstract class CreditSpendAndRefundTests<TApp>(TApp fixture) : CreditTestsBase<TApp>(fixture) where TApp : AppFixture
{
    [Fact]
    public async Task A_spend_is_idempotent_by_reference_and_a_reused_reference_with_another_amount_is_409()
    {
        var user = NewUser("sam");
        await Buy(user, package: "starter");

        var first = await Spend(user, 300, "job-1");
        var again = await Spend(user, 300, "job-1");
        var other = await Spend(user, 301, "job-1");

        Assert.Equal(200, (int)first.StatusCode);
        var (a, b) = (await first.Body(), await again.Body());
        Assert.Equal((a.Str("transaction_id"), 700L, false), (b.Str("transaction_id"), b.GetProperty("balance").GetInt64(), a.GetProperty("replayed").GetBoolean()));
        Assert.True(b.GetProperty("replayed").GetBoolean());
        Assert.Equal(409, (int)other.StatusCode);
        Assert.Equal(a.Str("transaction_id"), (await other.Body()).Str("transaction_id"));
        Assert.Equal(700, await Balance(user));
        Assert.Equal(1, await Transactions(user, "spend"));
    }

    [Fact]
    public async Task A_spend_the_balance_cannot_cover_is_409_and_spends_nothing()
    {
        var user = NewUser("short");
        await Buy(user, package: "starter");

        var exact = await Spend(user, 1_000, "all");
        var over = await Spend(user, 1, "one-more");

        Assert.Equal(200, (int)exact.StatusCode);
        Assert.Equal(0, (await exact.Body()).GetProperty("balance").GetInt64());
        Assert.Equal(409, (int)over.StatusCode);
        var problem = await over.Body();
        Assert.Equal(("conflict", "insufficient_credits", 0L, 1L),
            (problem.Str("code"), problem.Str("reason"), problem.GetProperty("balance").GetInt64(), problem.GetProperty("requested").GetInt64()));
        Assert.Equal(0, await Balance(user));
    }

    [Theory]
    [InlineData(0, "r", "amount")]
    [InlineData(-5, "r", "amount")]
    [InlineData(5, "", "reference")]
    public async Task Spend_requests_without_a_positive_amount_or_a_reference_are_422(long amount, string reference, string detail)
    {
        var response = await Spend(NewUser("bad"), amount, reference);
        Assert.Equal(422, (int)response.StatusCode);
        Assert.Contains(detail, (await response.Body()).Str("detail"));
    }

    [Fact]
    public async Task A_partial_refund_takes_back_credits_in_proportion_and_the_rest_with_the_rest()
    {
        var user = NewUser("ria");
        var paymentId = await Buy(user, credits: 1_500);

        Assert.Equal(200, (int)(await Refund(paymentId, 500)).StatusCode);
        Assert.Equal(1_000, await Balance(user));
        Assert.Equal(200, (int)(await Refund(paymentId, 333)).StatusCode);
        Assert.Equal(667, await Balance(user));
        Assert.Equal(200, (int)(await Refund(paymentId)).StatusCode);
        Assert.Equal(0, await Balance(user));
        Assert.Equal(3, await Transactions(user, "refund"));
        await AssertLedgerBalanced();
        var news = await CreditNews(user);
        Assert.Equal(4, news.Count);
        Assert.StartsWith("credits.granted:", news[0]);
        Assert.All(news.Skip(1), n => Assert.StartsWith("credits.taken_back:", n));
        Assert.Equal([500L, 333L, 667L], news.Skip(1).Select(n => System.Text.Json.JsonDocument.Parse(n.Split(':', 2)[1]).RootElement.GetProperty("credits").GetInt64()));
    }

    [Fact]
    public async Task Repeated_and_late_refund_reports_take_nothing_more()
    {
        var user = NewUser("late");
        var paymentId = await Buy(user, package: "starter");
        // Providers report cumulative refunded totals (Stripe's charge.refunded), repeated and out of order:
        // 400, the same 400 again, an older 300.
        foreach (var total in new[] { 400L, 400L, 300L }) await Observe(paymentId, Refunded(total));
        Assert.Equal(600, await Balance(user));

        await Observe(paymentId, Refunded(1_000));
        await Observe(paymentId, Refunded(1_000));
        Assert.Equal(0, await Balance(user));
        Assert.Equal(2, await Transactions(user, "refund"));
    }

    [Fact]
    public async Task A_refund_report_that_also_proves_the_payment_grants_and_takes_back_in_one_transaction()
    {
        // Stripe may deliver charge.refunded before checkout.session.completed: the settler decides "paid"
        // then "refunded 400" in one transaction, so the grant is not saved yet when the take-back reads it.
        var user = NewUser("early");
        var (paymentId, _, _) = await StartPurchase(user, package: "starter");

        await Observe(paymentId, new(Core.Providers.ProviderEventKind.PaymentSucceeded, Core.Money.Money.Of(1_000, "USD")), Refunded(400));

        Assert.Equal(600, await Balance(user));
        Assert.Equal((1, 1), (await Transactions(user, "purchase"), await Transactions(user, "refund")));
        await AssertLedgerBalanced();
    }

    private static Core.Payments.Observation Refunded(long total) =>
        new(Core.Providers.ProviderEventKind.Refunded, RefundedTotal: Core.Money.Money.Of(total, "USD"));

    /// <summary>Applies what a provider reported through the settler's verify path (one transaction, effects included).</summary>
    private async Task Observe(string paymentId, params Core.Payments.Observation[] observations)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var settler = scope.ServiceProvider.GetRequiredService<global::Payments.Server.Features.Payments.PaymentSettler>();
        await settler.ApplyObservedAsync(paymentId, observations, null, "test", CancellationToken.None);
    }

    [Fact]
    public async Task A_refund_of_spent_credits_drives_the_balance_negative_and_blocks_spending_until_it_is_positive_again()
    {
        var user = NewUser("neg");
        var paymentId = await Buy(user, package: "starter");
        Assert.Equal(200, (int)(await Spend(user, 800, "big-job")).StatusCode);

        Assert.Equal(200, (int)(await Refund(paymentId)).StatusCode);
        Assert.Equal(-800, await Balance(user));

        var blocked = await Spend(user, 1, "tiny");
        Assert.Equal(409, (int)blocked.StatusCode);
        var problem = await blocked.Body();
        Assert.Equal("negative_balance", problem.Str("reason"));
        Assert.Contains("blocked until", problem.Str("detail"));
        using (var client = AsUser(user))
            Assert.False((await (await client.GetAsync("/api/v1/credits/balance")).Body()).GetProperty("can_spend").GetBoolean());

        await Buy(user, credits: 900);
        Assert.Equal(100, await Balance(user));
        Assert.Equal(200, (int)(await Spend(user, 100, "tiny")).StatusCode);
        await AssertLedgerBalanced();
    }

    [Fact]
    public async Task History_is_newest_first_paged_and_filterable_by_kind()
    {
        var user = NewUser("his");
        await Buy(user, package: "starter");
        for (var i = 0; i < 4; i++) Assert.Equal(200, (int)(await Spend(user, 10 + i, $"h{i}")).StatusCode);

        using var client = AsUser(user);
        var page1 = await (await client.GetAsync("/api/v1/credits/history?page_size=2")).Body();
        var page3 = await (await client.GetAsync("/api/v1/credits/history?page_size=2&page=3")).Body();
        var spends = await (await client.GetAsync("/api/v1/credits/history?kind=spend")).Body();

        Assert.Equal(5, page1.GetProperty("total").GetInt32());
        Assert.Equal([-13L, -12L], page1.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("amount").GetInt64()));
        Assert.Equal("purchase", Assert.Single(page3.GetProperty("items").EnumerateArray()).Str("kind"));
        Assert.Equal(4, spends.GetProperty("total").GetInt32());
        Assert.Equal(422, (int)(await client.GetAsync("/api/v1/credits/history?kind=gift")).StatusCode);
    }

    [Fact]
    public async Task A_user_reads_only_their_own_credits()
    {
        var user = NewUser("own");
        using var client = AsUser(user);
        Assert.Equal(200, (int)(await client.GetAsync($"/api/v1/credits/balance?user_id={user}")).StatusCode);
        Assert.Equal(403, (int)(await client.GetAsync("/api/v1/credits/balance?user_id=somebody-else")).StatusCode);
        Assert.Equal(403, (int)(await client.GetAsync("/api/v1/credits/history?user_id=somebody-else")).StatusCode);
        Assert.Equal(403, (int)(await client.PostJson("/api/v1/credits/spend", new { user_id = user, amount = 1, reference = "self" })).StatusCode);
        // A token that claims role=service is still a person: no spending with it.
        using var fake = App.Client().As(Credentials.Jwt(user, "service"));
        Assert.Equal(403, (int)(await fake.PostJson("/api/v1/credits/spend", new { user_id = user, amount = 1, reference = "x" })).StatusCode);
    }
}

public sealed class CreditSpendAndRefundTests_Sqlite(SqliteAuthApp app) : CreditSpendAndRefundTests<SqliteAuthApp>(app);

public sealed class CreditSpendAndRefundTests_Postgres(PostgresAuthApp app) : CreditSpendAndRefundTests<PostgresAuthApp>(app);
