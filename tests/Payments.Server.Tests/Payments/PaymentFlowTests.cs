using PaymentRow = Payments.Server.Data.Entities.Payment;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Core.Money;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Providers.Dummy;
using Payments.Server.Features.Payments;
using Payments.Server.Features.Webhooks;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Payments;

/// <summary>Helpers shared by the HTTP-level payment tests.</summary>
public abstract class PaymentFlowTestsBase<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : AppFixture
{
    protected PaymentsApp App => fixture.App;


    /// <summary>The client helpers use; subclasses may sign it in.</summary>
    protected virtual HttpClient Client() => App.Client();

    protected async Task<JsonElement> CreateIntent(object body)
    {
        using var http = Client();
        var response = await http.PostJson("/api/v1/payment/create-intent", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Body();
    }

    protected async Task<(string PaymentId, string DmId)> NewPendingPayment(string plan = "basic")
    {
        var intent = await CreateIntent(new { plan });
        return (intent.Str("payment_id"), intent.Str("provider_payment_id"));
    }

    protected async Task<PaymentRow> Load(string paymentId)
    {
        await using var db = App.Db();
        return await db.Context.Payments.AsNoTracking().SingleAsync(p => p.Id == paymentId);
    }

    protected async Task<List<string>> AuditActions(string paymentId)
    {
        await using var db = App.Db();
        return await db.Context.AuditLog.Where(a => a.PaymentId == paymentId).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
    }

    protected async Task<int> EventRows(string eventId)
    {
        await using var db = App.Db();
        return await db.Context.PaymentEvents.CountAsync(e => e.ExternalEventId == eventId);
    }

}

/// <summary>The dummy flow end to end over HTTP, and the money rules at the edges, on each database.</summary>
public abstract class PaymentFlowTests<TApp>(TApp fixture) : PaymentFlowTestsBase<TApp>(fixture) where TApp : AppFixture
{
    [Fact]
    public async Task Create_intent_writes_every_column_of_the_payment_as_EF_reads_it_back()
    {
        // create-intent writes its rows with plain SQL (NewPaymentRows); EF reads them everywhere else.
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var intent = await CreateIntent(new { plan = "pro" });

        var row = await Load(intent.Str("payment_id"));
        Assert.Equal(
            ("pro", "Pro plan", 2900L, "EUR", (string?)null, "dummy", intent.Str("provider_payment_id"), PaymentStatus.Pending, 0L),
            (row.Plan, row.Description, row.AmountMinor, row.Currency, row.OwnerId, row.Provider, row.ProviderPaymentId, row.Status, row.RefundedMinor));
        Assert.Equal(intent.Str("redirect_url"), row.RedirectUrl);
        Assert.Null(row.FailureReason);
        Assert.Null(row.PaidAt);
        Assert.Null(row.CheckedAt);
        Assert.InRange(row.CreatedAt, before, DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.True(row.UpdatedAt >= row.CreatedAt);
        await using var db = App.Db();
        var audits = await db.Context.AuditLog.Where(a => a.PaymentId == row.Id).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["payment.intent", "payment.checkout"], audits.Select(a => a.Action));
        Assert.All(audits, a => Assert.Equal("guest", a.Actor));
        Assert.Contains("\"amount\":2900", audits[0].Data);
        Assert.Equal(row.CreatedAt, audits[0].At);
    }

    [Fact]
    public async Task A_customer_pays_through_the_dummy_checkout_and_the_payment_succeeds()
    {
        using var http = App.Client();
        var intent = await CreateIntent(new { plan = "basic", provider = "dummy" });
        Assert.Equal(("dummy", 1900, "EUR", "pending"),
            (intent.Str("provider"), intent.GetProperty("amount").GetInt64(), intent.Str("currency"), intent.Str("status")));
        var redirect = new Uri(intent.Str("redirect_url"));
        Assert.Equal($"/payments/simulate/{intent.Str("provider_payment_id")}", redirect.AbsolutePath);

        var page = await http.GetStringAsync(redirect.PathAndQuery);
        Assert.Contains("19.00 EUR", page);

        var submit = await http.PayDummy(redirect.AbsolutePath);
        Assert.Equal(HttpStatusCode.SeeOther, submit.StatusCode);
        Assert.Equal($"/payments/thanks?payment_id={intent.Str("payment_id")}", submit.Headers.Location!.ToString());

        var thanks = await http.GetStringAsync(submit.Headers.Location);
        Assert.Contains("data-status=\"succeeded\"", thanks);
        var payment = await Load(intent.Str("payment_id"));
        Assert.Equal(PaymentStatus.Succeeded, payment.Status);
        Assert.NotNull(payment.PaidAt);
        Assert.Equal(["payment.intent", "payment.checkout", "payment.webhook", "payment.finalize"], await AuditActions(payment.Id));
    }

    [Theory]
    [InlineData("failed", PaymentStatus.Failed)]
    [InlineData("canceled", PaymentStatus.Canceled)]
    public async Task Failing_or_canceling_on_the_checkout_page_is_recorded(string outcome, PaymentStatus expected)
    {
        using var http = App.Client();
        var (paymentId, dmId) = await NewPendingPayment();
        var submit = await http.PayDummy(dmId, outcome);
        Assert.Equal(HttpStatusCode.SeeOther, submit.StatusCode);
        Assert.Equal(expected, (await Load(paymentId)).Status);
        Assert.Contains($"data-status=\"{expected.ToWire()}\"", await http.GetStringAsync(submit.Headers.Location));
    }

    [Fact]
    public async Task The_price_comes_from_the_plan_and_a_client_amount_is_ignored()
    {
        var intent = await CreateIntent(new { plan = "expert", amount = 1, currency = "JPY" });
        Assert.Equal((14900, "EUR"), (intent.GetProperty("amount").GetInt64(), intent.Str("currency")));
        Assert.Equal(14900, (await Load(intent.Str("payment_id"))).AmountMinor);
    }

    [Fact]
    public async Task A_duplicate_delivery_answers_200_and_changes_nothing()
    {
        using var http = App.Client();
        var (paymentId, dmId) = await NewPendingPayment();
        var body = DummyEvents.Body("evt_dup_" + paymentId, "payment.succeeded", dmId, 1900, "EUR");

        var first = await http.Deliver(body, DummyEvents.Sign(body));
        var second = await http.Deliver(body, DummyEvents.Sign(body));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("applied", (await first.Body()).Str("outcome"));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("duplicate", (await second.Body()).Str("outcome"));
        Assert.Equal(1, await EventRows("evt_dup_" + paymentId));
        Assert.Single(await AuditActions(paymentId), a => a == "payment.finalize");
    }

    [Theory]
    [InlineData(1899, "EUR")]
    [InlineData(1900, "USD")]
    [InlineData(19, "EUR")]
    public async Task An_amount_or_currency_mismatch_answers_409_and_marks_the_payment_conflicted(long amount, string currency)
    {
        using var http = App.Client();
        var (paymentId, dmId) = await NewPendingPayment();
        var body = DummyEvents.Body($"evt_mm_{amount}_{currency}_{paymentId}", "payment.succeeded", dmId, amount, currency);

        var response = await http.Deliver(body, DummyEvents.Sign(body));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Body();
        Assert.Equal(("amount_mismatch", paymentId), (problem.Str("code"), problem.Str("payment_id")));
        Assert.Equal(PaymentStatus.Conflicted, (await Load(paymentId)).Status);
        Assert.Contains("payment.conflict", await AuditActions(paymentId));
        Assert.DoesNotContain("payment.finalize", await AuditActions(paymentId));

        // The provider retries after a 409: the retry is a duplicate and changes nothing.
        var retry = await http.Deliver(body, DummyEvents.Sign(body));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(PaymentStatus.Conflicted, (await Load(paymentId)).Status);
    }

    [Fact]
    public async Task A_tampered_signature_answers_400_stores_no_event_and_changes_nothing()
    {
        using var http = App.Client();
        var (paymentId, dmId) = await NewPendingPayment();
        var body = DummyEvents.Body("evt_tamper_" + paymentId, "payment.succeeded", dmId, 1900, "EUR");
        var signature = DummyEvents.Sign(body);
        var tampered = DummyEvents.Body("evt_tamper_" + paymentId, "payment.succeeded", dmId, 1, "EUR");

        var responses = new[]
        {
            await http.Deliver(tampered, signature),
            await http.Deliver(body, DummyEvents.Sign(body, secret: "not-the-secret")),
            await http.Deliver(body, DummyEvents.Sign(body, at: DateTimeOffset.UtcNow.AddMinutes(-6))),
            await http.Deliver(body, null),
        };

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal("signature_invalid", (await responses[0].Body()).Str("code"));
        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status);
        Assert.Equal(0, await EventRows("evt_tamper_" + paymentId));
        Assert.Contains(App.Get<WebhookRejections>().Totals(), t => t is { Provider: "dummy", Reason: "signature_invalid", Count: >= 4 });
    }

    [Fact]
    public async Task A_failure_arriving_after_success_is_stale_and_changes_nothing()
    {
        using var http = App.Client();
        var (paymentId, dmId) = await NewPendingPayment();
        var paid = DummyEvents.Body("evt_paid_" + paymentId, "payment.succeeded", dmId, 1900, "EUR");
        var late = DummyEvents.Body("evt_late_" + paymentId, "payment.failed", dmId, 1900, "EUR");

        await http.Deliver(paid, DummyEvents.Sign(paid));
        var response = await http.Deliver(late, DummyEvents.Sign(late));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("stale", (await response.Body()).Str("outcome"));
        Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);
        Assert.Contains("payment.transition_rejected", await AuditActions(paymentId));
    }

    [Fact]
    public async Task Verify_asks_the_provider_and_heals_a_lost_webhook()
    {
        using var http = App.Client();
        var (paymentId, dmId) = await NewPendingPayment("pro");
        // The customer pays at the provider, but the webhook never reaches us.
        Assert.NotNull(await App.Get<DummyProvider>().SimulateAsync(dmId, ProviderPaymentStatus.Succeeded, default));
        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status);

        var byOurs = await http.PostJson("/api/v1/payment/verify", new { payment_id = paymentId });
        var byTheirs = await http.PostJson("/api/v1/payment/verify", new { payment_id = dmId });

        var body = await byOurs.Body();
        Assert.Equal(HttpStatusCode.OK, byOurs.StatusCode);
        Assert.Equal((paymentId, "succeeded", "pro", 2900, "EUR"),
            (body.Str("payment_id"), body.Str("status"), body.Str("plan"), body.GetProperty("amount").GetInt64(), body.Str("currency")));
        Assert.Equal("succeeded", (await byTheirs.Body()).Str("status"));
        Assert.Single(await AuditActions(paymentId), a => a == "payment.finalize");
    }

    [Fact]
    public async Task Verify_of_an_open_payment_leaves_it_pending()
    {
        using var http = App.Client();
        var (paymentId, _) = await NewPendingPayment();
        var response = await http.PostJson("/api/v1/payment/verify", new { payment_id = paymentId });
        Assert.Equal("pending", (await response.Body()).Str("status"));
    }

    [Fact]
    public async Task A_provider_answer_paid_with_another_amount_then_refunded_reports_the_conflict_not_the_refusal_after_it()
    {
        // What verify and capture apply: the success (1800 of our 1900) makes the payment conflicted, and
        // the refund total after it is then refused. The conflict is what they must report (409), as a
        // webhook carrying both does.
        var (paymentId, _) = await NewPendingPayment();
        await using var scope = App.Services.CreateAsyncScope();
        var settler = scope.ServiceProvider.GetRequiredService<PaymentSettler>();

        var (payment, reported) = await settler.ApplyObservedAsync(paymentId,
            [new(ProviderEventKind.PaymentSucceeded, Money.Of(1800, "EUR")), new(ProviderEventKind.Refunded, RefundedTotal: Money.Of(500, "EUR"))],
            null, "test", CancellationToken.None);

        Assert.Equal(SettlementOutcome.Conflict, reported?.Outcome);
        Assert.Contains("reported 18.00 EUR", reported!.Reason);
        Assert.Equal((PaymentStatus.Conflicted, 0L), (payment.Status, payment.RefundedMinor));
        Assert.Equal([Settlement.ConflictAction, Settlement.RejectedAction], (await AuditActions(paymentId))[2..]);
    }

    [Fact]
    public async Task An_event_for_a_payment_we_do_not_know_is_recorded_and_acknowledged()
    {
        using var http = App.Client();
        var body = DummyEvents.Body("evt_orphan_" + Guid.NewGuid(), "payment.succeeded", "dm_nobody", 1900, "EUR");
        var response = await http.Deliver(body, DummyEvents.Sign(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("unmatched", (await response.Body()).Str("outcome"));
    }

    [Theory]
    [InlineData("{\"plan\":\"gold\"}", 422, "validation")]
    [InlineData("{}", 422, "validation")]
    [InlineData("{\"plan\":\"basic\",\"provider\":\"stripe\"}", 422, "validation")]
    [InlineData("{\"plan\":", 400, "bad_request")]
    [InlineData("[1,2]", 400, "bad_request")]
    public async Task Bad_create_intent_requests_get_problem_details(string json, int status, string code)
    {
        using var http = App.Client();
        var response = await http.PostAsync("/api/v1/payment/create-intent", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(code, (await response.Body()).Str("code"));
    }

    [Fact]
    public async Task Unknown_payments_providers_and_routes_answer_404_problems()
    {
        using var http = App.Client();
        var verify = await http.PostJson("/api/v1/payment/verify", new { payment_id = "pay_doesnotexist" });
        var webhook = await http.PostAsync("/api/v1/payment/webhook/nosuch", new StringContent("{}"));
        var route = await http.GetAsync("/api/v1/nothing-here");
        Assert.All([verify, webhook, route], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal("not_found", (await verify.Body()).Str("code"));
        Assert.Equal("application/problem+json", route.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Plans_and_health_are_public()
    {
        using var http = App.Client();
        var plans = await (await http.GetAsync("/api/v1/payment/plans")).Body();
        Assert.Equal(["basic:1900 EUR", "pro:2900 EUR", "expert:14900 EUR"],
            plans.EnumerateArray().Select(p => $"{p.Str("key")}:{p.GetProperty("amount").GetInt64()} {p.Str("currency")}"));
        var health = await (await http.GetAsync("/healthz")).Body();
        Assert.Equal(("ok", App.Database.Kind.ToString().ToLowerInvariant()), (health.Str("status"), health.Str("database")));
    }
}

public sealed class PaymentFlowTests_Sqlite(SqliteApp app) : PaymentFlowTests<SqliteApp>(app);

public sealed class PaymentFlowTests_Postgres(PostgresApp app) : PaymentFlowTests<PostgresApp>(app);
