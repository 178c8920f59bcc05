using Microsoft.EntityFrameworkCore;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Providers.Dummy;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Api;

public abstract class RefundTests<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : AppFixture
{
    private HttpClient Admin() => fixture.App.Client().As(Credentials.AdminKey);

    private async Task<(string PaymentId, string DmId)> PaidPayment(string plan = "basic")
    {
        using var client = fixture.App.Client();
        var intent = await (await client.PostJson("/api/v1/payment/create-intent", new { plan })).Body();
        (await client.PayDummy(intent.Str("provider_payment_id"))).Dispose();
        return (intent.Str("payment_id"), intent.Str("provider_payment_id"));
    }

    private Task<HttpResponseMessage> Refund(HttpClient admin, string paymentId, long? amount) =>
        admin.PostJson("/api/v1/payment/refund", amount is null ? new { payment_id = paymentId } : new { payment_id = paymentId, amount });

    [Fact]
    public async Task A_partial_then_the_remaining_refund_end_refunded()
    {
        using var admin = Admin();
        var (paymentId, dmId) = await PaidPayment();

        var partial = await (await Refund(admin, paymentId, 500)).Body();
        Assert.Equal(("succeeded", "partially_refunded", 500L), (partial.Str("status"), partial.Str("payment_status"), partial.GetProperty("refunded").GetInt64()));

        var rest = await (await Refund(admin, paymentId, null)).Body();
        Assert.Equal((1400L, "refunded", 1900L), (rest.GetProperty("amount").GetInt64(), rest.Str("payment_status"), rest.GetProperty("refunded").GetInt64()));

        var provider = await fixture.App.Get<DummyProvider>().GetPaymentAsync(dmId, default);
        Assert.Equal(1900, provider.RefundedTotal!.Value.Minor);
        var detail = await (await admin.GetAsync($"/api/v1/payments/{paymentId}")).Body();
        Assert.Equal(2, detail.GetProperty("refunds").GetArrayLength());
        await using var db = fixture.App.Db();
        Assert.Equal(2, await db.Context.AuditLog.CountAsync(a => a.PaymentId == paymentId && a.Action == Settlement.RefundAction));
    }

    [Fact]
    public async Task Every_confirmed_refund_has_its_own_audit_row_naming_it()
    {
        // Also when a webhook or verify moved the payment first (no payment.refund row then): the refund's
        // own outcome is audited either way.
        using var admin = Admin();
        var (paymentId, _) = await PaidPayment();

        var first = await (await Refund(admin, paymentId, 500)).Body();
        var second = await (await Refund(admin, paymentId, 700)).Body();

        await using var db = fixture.App.Db();
        var rows = await db.Context.AuditLog.Where(a => a.PaymentId == paymentId && a.Action == "payment.refund_succeeded")
            .OrderBy(a => a.Id).Select(a => a.Data!).ToListAsync();
        Assert.Equal(2, rows.Count);
        Assert.Contains($"\"refund_id\":\"{first.Str("refund_id")}\"", rows[0]);
        Assert.Contains("\"amount\":500", rows[0]);
        Assert.Contains($"\"refund_id\":\"{second.Str("refund_id")}\"", rows[1]);
    }

    [Fact]
    public async Task A_reason_over_500_characters_is_refused_with_422_before_anything_is_reserved()
    {
        using var admin = Admin();
        var (paymentId, _) = await PaidPayment();

        var response = await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 100, reason = new string('x', 501) });

        Assert.Equal(422, (int)response.StatusCode);
        Assert.Equal("validation", (await response.Body()).Str("code"));
        await using var db = fixture.App.Db();
        Assert.Equal(0, await db.Context.Refunds.CountAsync(r => r.PaymentId == paymentId));
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData("  Goodwill  ", "Goodwill")]
    public async Task A_blank_reason_is_no_reason_and_a_reason_is_stored_trimmed(string sent, string? stored)
    {
        using var admin = Admin();
        var (paymentId, _) = await PaidPayment();

        var response = await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 100, reason = sent });

        Assert.Equal(200, (int)response.StatusCode);
        await using var db = fixture.App.Db();
        Assert.Equal(stored, (await db.Context.Refunds.SingleAsync(r => r.PaymentId == paymentId)).Reason);
    }

    [Fact]
    public async Task A_refund_over_what_remains_is_refused_and_changes_nothing()
    {
        using var admin = Admin();
        var (paymentId, _) = await PaidPayment();
        await Refund(admin, paymentId, 1000);

        var over = await Refund(admin, paymentId, 901);

        Assert.Equal(409, (int)over.StatusCode);
        var problem = await over.Body();
        Assert.Equal(("conflict", 900L), (problem.Str("code"), problem.GetProperty("refundable").GetInt64()));
        await using var db = fixture.App.Db();
        var payment = await db.Context.Payments.AsNoTracking().SingleAsync(p => p.Id == paymentId);
        Assert.Equal((PaymentStatus.PartiallyRefunded, 1000L), (payment.Status, payment.RefundedMinor));
        Assert.Equal(1, await db.Context.Refunds.CountAsync(r => r.PaymentId == paymentId));
    }

    [Theory]
    [InlineData(0, 422)]
    [InlineData(-5, 422)]
    public async Task Non_positive_amounts_are_invalid(long amount, int status)
    {
        using var admin = Admin();
        var (paymentId, _) = await PaidPayment();
        Assert.Equal(status, (int)(await Refund(admin, paymentId, amount)).StatusCode);
    }

    [Fact]
    public async Task An_unpaid_payment_cannot_be_refunded()
    {
        using var admin = Admin();
        using var client = fixture.App.Client();
        var pending = (await (await client.PostJson("/api/v1/payment/create-intent", new { plan = "basic" })).Body()).Str("payment_id");
        var response = await Refund(admin, pending, 100);
        Assert.Equal(409, (int)response.StatusCode);
        Assert.Equal(404, (int)(await Refund(admin, "pay_missing", 100)).StatusCode);
    }

    [Fact]
    public async Task Two_concurrent_partial_refunds_that_together_exceed_the_payment_cannot_both_succeed()
    {
        var (paymentId, dmId) = await PaidPayment();
        using var a = Admin();
        using var b = Admin();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Task.Run(async () => { await go.Task; return await Refund(a, paymentId, 1200); });
        var second = Task.Run(async () => { await go.Task; return await Refund(b, paymentId, 1200); });
        go.SetResult();
        var statuses = (await Task.WhenAll(first, second)).Select(r => (int)r.StatusCode).Order().ToArray();

        Assert.Equal([200, 409], statuses);
        await using var db = fixture.App.Db();
        Assert.Equal(1200, await db.Context.Refunds.Where(r => r.PaymentId == paymentId).SumAsync(r => r.AmountMinor));
        Assert.Equal(1200, (await fixture.App.Get<DummyProvider>().GetPaymentAsync(dmId, default)).RefundedTotal!.Value.Minor);
    }

    [Fact]
    public async Task A_refund_retried_with_its_Idempotency_Key_refunds_once()
    {
        var (paymentId, dmId) = await PaidPayment();
        using var admin = Admin();
        async Task<HttpResponseMessage> Send()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payment/refund")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { payment_id = paymentId, amount = 700 }, options: Json.Options),
            };
            request.Headers.Add("Idempotency-Key", "refund-" + paymentId);
            return await admin.SendAsync(request);
        }
        var first = await (await Send()).Body();
        var again = await (await Send()).Body();
        Assert.Equal(first.Str("refund_id"), again.Str("refund_id"));
        Assert.Equal(700, (await fixture.App.Get<DummyProvider>().GetPaymentAsync(dmId, default)).RefundedTotal!.Value.Minor);
    }

    [Fact]
    public async Task Payment_lists_filter_by_status_provider_and_date_and_page()
    {
        using var admin = Admin();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var (paid, _) = await PaidPayment("pro");
        var listed = await (await admin.GetAsync($"/api/v1/payments?status=succeeded&provider=dummy&from={Uri.EscapeDataString(before.ToString("O"))}&page_size=100")).Body();
        Assert.Contains(paid, listed.GetProperty("items").EnumerateArray().Select(p => p.Str("payment_id")));
        Assert.All(listed.GetProperty("items").EnumerateArray(), p => Assert.Equal("succeeded", p.Str("status")));

        var future = await (await admin.GetAsync($"/api/v1/payments?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"))}")).Body();
        Assert.Equal(0, future.GetProperty("total").GetInt32());

        var page = await (await admin.GetAsync("/api/v1/payments?page=1&page_size=1")).Body();
        Assert.Equal((1, 1), (page.GetProperty("items").GetArrayLength(), page.GetProperty("page_size").GetInt32()));
        Assert.Equal(422, (int)(await admin.GetAsync("/api/v1/payments?status=paid")).StatusCode);
        Assert.Equal(422, (int)(await admin.GetAsync("/api/v1/payments?page_size=1000")).StatusCode);
    }

    [Fact]
    public async Task The_audit_log_is_paged_and_filtered_by_payment()
    {
        using var admin = Admin();
        var (paymentId, _) = await PaidPayment();
        var audit = await (await admin.GetAsync($"/api/v1/audit?payment_id={paymentId}&page_size=50")).Body();
        var actions = audit.GetProperty("items").EnumerateArray().Select(e => e.Str("action")).Reverse().ToArray();
        Assert.Equal(["payment.intent", "payment.checkout", "payment.webhook", "payment.finalize"], actions);
        Assert.Equal(1900, audit.GetProperty("items")[0].GetProperty("data").GetProperty("amount").GetInt64());
    }
}

public sealed class RefundTests_Sqlite(SqliteSlowAuthApp app) : RefundTests<SqliteSlowAuthApp>(app);

public sealed class RefundTests_Postgres(PostgresSlowAuthApp app) : RefundTests<PostgresSlowAuthApp>(app);
