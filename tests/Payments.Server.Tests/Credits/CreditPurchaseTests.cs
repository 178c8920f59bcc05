using System.Net;
using Microsoft.EntityFrameworkCore;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Credits;

/// <summary>Buying credits: packages and custom amounts priced on the server, granted once when the payment succeeds.</summary>
public abstract class CreditPurchaseTests<TApp>(TApp fixture) : CreditTestsBase<TApp>(fixture) where TApp : AppFixture
{
    [Fact]
    public async Task Packages_are_public_and_priced_at_one_US_cent_per_credit()
    {
        using var guest = App.Client();
        var catalog = await (await guest.GetAsync("/api/v1/credits/packages")).Body();
        var packages = catalog.GetProperty("packages").EnumerateArray()
            .Select(p => (p.Str("id"), p.GetProperty("credits").GetInt64(), p.GetProperty("amount").GetInt64(), p.Str("currency"), p.Str("display")))
            .ToList();
        Assert.Equal([("starter", 1_000L, 1_000L, "USD", "10.00 USD"), ("pro", 5_000L, 5_000L, "USD", "50.00 USD"),
            ("business", 20_000L, 20_000L, "USD", "200.00 USD")], packages);
        Assert.Equal((100, 100_000), (catalog.GetProperty("custom").GetProperty("min_credits").GetInt64(),
            catalog.GetProperty("custom").GetProperty("max_credits").GetInt64()));
    }

    [Fact]
    public async Task A_package_is_charged_at_its_price_and_its_credits_arrive_when_the_payment_succeeds()
    {
        var user = NewUser("pia");
        var (paymentId, dmId, intent) = await StartPurchase(user, package: "pro");
        Assert.Equal((5_000L, "USD"), (intent.GetProperty("amount").GetInt64(), intent.Str("currency")));
        Assert.Equal(0, await Balance(user)); // nothing before the money arrives

        await Pay(dmId);

        Assert.Equal(5_000, await Balance(user));
        using var client = AsUser(user);
        var history = await (await client.GetAsync("/api/v1/credits/history")).Body();
        var item = Assert.Single(history.GetProperty("items").EnumerateArray());
        Assert.Equal(("purchase", 5_000L, paymentId, "Pro: 5,000 credits"),
            (item.Str("kind"), item.GetProperty("amount").GetInt64(), item.Str("payment_id"), item.Str("memo")));
        var payment = await (await client.GetAsync($"/api/v1/payments/{paymentId}")).Body();
        Assert.Equal(JsonNull, payment.GetProperty("payment").GetProperty("plan").ValueKind);
        Assert.Equal("Pro: 5,000 credits", payment.GetProperty("payment").Str("description"));
        await AssertLedgerBalanced();
    }

    private const System.Text.Json.JsonValueKind JsonNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task A_custom_amount_costs_one_cent_per_credit_and_a_client_price_is_ignored()
    {
        var user = NewUser("cy");
        using var client = AsUser(user);
        var response = await client.PostJson("/api/v1/payment/create-intent", new { credits = 1_234, amount = 1, currency = "JPY" });
        var intent = await response.Body();
        Assert.Equal((1_234L, "USD"), (intent.GetProperty("amount").GetInt64(), intent.Str("currency")));
        await Pay(intent.Str("provider_payment_id"));
        Assert.Equal(1_234, await Balance(user));
    }

    [Theory]
    [InlineData("{\"credits\":99}", "credits")]
    [InlineData("{\"credits\":100001}", "credits")]
    [InlineData("{\"credits\":0}", "credits")]
    [InlineData("{\"credit_package\":\"mega\"}", "mega")]
    [InlineData("{\"plan\":\"basic\",\"credits\":500}", "one thing")]
    [InlineData("{\"credit_package\":\"starter\",\"credits\":500}", "one thing")]
    [InlineData("{}", "credit_package")]
    public async Task Amounts_outside_the_range_unknown_packages_and_mixed_requests_are_refused_with_422(string body, string detail)
    {
        using var client = AsUser(NewUser("val"));
        var response = await client.PostAsync("/api/v1/payment/create-intent", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(422, (int)response.StatusCode);
        var problem = await response.Body();
        Assert.Equal("validation", problem.Str("code"));
        Assert.Contains(detail, problem.Str("detail"));
    }

    [Fact]
    public async Task Credits_need_a_user_guests_get_401_and_keys_must_name_one()
    {
        using var guest = App.Client();
        var asGuest = await guest.PostJson("/api/v1/payment/create-intent", new { credit_package = "starter" });
        Assert.Equal(401, (int)asGuest.StatusCode);

        var (_, serviceKey) = await Credentials.CreateKey(App);
        using var service = App.Client().As(serviceKey);
        var unnamed = await service.PostJson("/api/v1/payment/create-intent", new { credit_package = "starter" });
        Assert.Equal(422, (int)unnamed.StatusCode);
        Assert.Contains("user_id", (await unnamed.Body()).Str("detail"));

        var user = NewUser("onbehalf");
        var named = await (await service.PostJson("/api/v1/payment/create-intent", new { credit_package = "starter", user_id = user })).Body();
        await Pay(named.Str("provider_payment_id"));
        Assert.Equal(1_000, await Balance(user));

        // Guests may still buy plans.
        Assert.Equal(200, (int)(await guest.PostJson("/api/v1/payment/create-intent", new { plan = "basic" })).StatusCode);
    }

    [Fact]
    public async Task Credits_are_granted_once_however_often_and_however_the_success_arrives()
    {
        var user = NewUser("dup");
        var (paymentId, dmId, _) = await StartPurchase(user, package: "starter");
        using var http = App.Client();
        var body = DummyEvents.Body("evt_credit_" + paymentId, "payment.succeeded", dmId, 1_000, "USD");
        var other = DummyEvents.Body("evt_credit_other_" + paymentId, "payment.succeeded", dmId, 1_000, "USD");

        Assert.Equal("applied", (await (await http.Deliver(body, DummyEvents.Sign(body))).Body()).Str("outcome"));
        Assert.Equal("duplicate", (await (await http.Deliver(body, DummyEvents.Sign(body))).Body()).Str("outcome"));
        Assert.Equal("no_change", (await (await http.Deliver(other, DummyEvents.Sign(other))).Body()).Str("outcome"));
        using (var owner = AsUser(user))
            Assert.Equal(200, (int)(await owner.PostJson("/api/v1/payment/verify", new { payment_id = paymentId })).StatusCode);
        await Pay(dmId);

        Assert.Equal(1_000, await Balance(user));
        Assert.Equal(1, await Transactions(user, "purchase"));
        // The host is told once, from the webhook's own transaction.
        Assert.Equal(["credits.granted:{\"user_id\":\"" + user + "\",\"credits\":1000,\"reason\":\"purchase\",\"payment_id\":\"" + paymentId + "\"}"],
            await CreditNews(user));
    }

    [Fact]
    public async Task A_payment_that_fails_or_conflicts_grants_nothing()
    {
        var user = NewUser("nope");
        var (failedId, failedDm, _) = await StartPurchase(user, package: "starter");
        using (var http = App.Client())
            await http.PayDummy(failedDm, "failed");
        var (_, wrongDm, _) = await StartPurchase(user, package: "starter");
        var wrong = DummyEvents.Body("evt_wrong_" + wrongDm, "payment.succeeded", wrongDm, 999, "USD");
        using (var http = App.Client())
            Assert.Equal(HttpStatusCode.Conflict, (await http.Deliver(wrong, DummyEvents.Sign(wrong))).StatusCode);

        Assert.Equal(0, await Balance(user));
        await using var db = App.Db();
        Assert.False(await db.Context.CreditTransactions.AnyAsync(t => t.PaymentId == failedId));
    }

    [Fact]
    public async Task A_plan_purchase_touches_no_credits()
    {
        var user = NewUser("plan");
        using var client = AsUser(user);
        var intent = await (await client.PostJson("/api/v1/payment/create-intent", new { plan = "basic" })).Body();
        await Pay(intent.Str("provider_payment_id"));
        Assert.Equal(0, await Balance(user));
        await using var db = App.Db();
        Assert.False(await db.Context.CreditPurchases.AnyAsync(p => p.PaymentId == intent.Str("payment_id")));
    }
}

public sealed class CreditPurchaseTests_Sqlite(SqliteAuthApp app) : CreditPurchaseTests<SqliteAuthApp>(app);

public sealed class CreditPurchaseTests_Postgres(PostgresAuthApp app) : CreditPurchaseTests<PostgresAuthApp>(app);
