using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Core.Money;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Providers.Stripe;
using Payments.Server.Features.Payments.Refunds;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Stripe;

/// <summary>Refunds (the adapter's call and the charge.refunded webhook), verify healing, and the embedded PaymentIntent mode.</summary>
public abstract class StripeRefundAndVerifyFlowTests<TApp>(TApp fixture) : StripeFlowTestsBase<TApp>(fixture)
    where TApp : AppFixture, IStripeApp
{
    private StripeProvider Provider => App.Get<StripeProvider>();

    private async Task<(string PaymentId, string SessionId, string IntentId)> PaidPayment(bool deliver = true)
    {
        var (paymentId, sessionId, _) = await StartPayment();
        var events = Stripe.Pay(sessionId);
        if (deliver) Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(Of(events, "checkout.session.completed")));
        return (paymentId, sessionId, Stripe.IntentIdOf(sessionId));
    }

    private async Task<RefundResult> Refund(string paymentId, string sessionId, string? reference, long minor, string key) =>
        await Provider.RefundAsync(new RefundRequest(paymentId, sessionId, reference, Money.Of(minor, "EUR"), key, "requested_by_customer"), default);

    [Fact]
    public async Task An_admin_refund_through_the_API_reaches_Stripe_once_and_the_later_webhook_changes_nothing()
    {
        var (paymentId, _, intentId) = await PaidPayment();
        using var admin = App.Client().As(Credentials.AdminKey);

        var response = await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 700, reason = "requested_by_customer" });

        var body = await response.Body();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("succeeded", "partially_refunded", 700L), (body.Str("status"), body.Str("payment_status"), body.GetProperty("refunded").GetInt64()));
        var sent = Assert.Single(Stripe.RequestsTo("/v1/refunds"), r => r["payment_intent"] == intentId);
        Assert.Equal((intentId, "700", body.Str("refund_id")), (sent["payment_intent"], sent["amount"], sent.Header("Idempotency-Key")));
        Assert.Equal((HttpStatusCode.OK, "no_change"), await Deliver(Stripe.LastEvent("charge.refunded")));
        Assert.Equal((PaymentStatus.PartiallyRefunded, 700), await StateOf(paymentId));
    }

    [Fact]
    public async Task A_refund_whose_caller_goes_away_while_Stripe_works_is_still_recorded_with_Stripes_answer()
    {
        var (paymentId, _, _) = await PaidPayment();
        Stripe.Delay("/v1/refunds", times: 1, TimeSpan.FromSeconds(1)); // Stripe refunds, slowly
        var refundCalls = Stripe.RequestsTo("/v1/refunds").Count; // the fake is shared by this class's tests
        using var caller = new CancellationTokenSource();
        await using var scope = App.Services.CreateAsyncScope();

        var refunding = scope.ServiceProvider.GetRequiredService<RefundService>().RefundAsync(paymentId, 700, null, "test", caller.Token);
        while (Stripe.RequestsTo("/v1/refunds").Count == refundCalls) await Task.Delay(10);
        await caller.CancelAsync(); // the admin's browser is closed while Stripe works
        var (refund, payment) = await refunding;

        Assert.Equal((Server.Data.Entities.Refund.Succeeded, PaymentStatus.PartiallyRefunded, 700L), (refund.Status, payment.Status, payment.RefundedMinor));
        Assert.Equal((PaymentStatus.PartiallyRefunded, 700), await StateOf(paymentId));
    }

    [Fact]
    public async Task A_refund_whose_answer_was_lost_stays_reserved_until_verify_finds_it_at_Stripe()
    {
        var (paymentId, _, _) = await PaidPayment();
        using var admin = App.Client().As(Credentials.AdminKey);
        Stripe.Drop("/v1/refunds", times: 3, afterProcessing: true); // Stripe refunds, every answer is lost

        var lost = await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 600 });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, lost.StatusCode);
        var refundId = (await lost.Body()).Str("refund_id");

        // The money may be gone already: the reservation stays, so a second try cannot refund it again.
        var again = await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 1900 - 600 + 1 });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var verified = await App.Client().PostJson("/api/v1/payment/verify", new { payment_id = paymentId });
        Assert.Equal("partially_refunded", (await verified.Body()).Str("status"));
        var detail = await (await admin.GetAsync($"/api/v1/payments/{paymentId}")).Body();
        var refund = Assert.Single(detail.GetProperty("refunds").EnumerateArray());
        Assert.Equal((refundId, "succeeded"), (refund.Str("refund_id"), refund.Str("status")));
    }

    [Fact]
    public async Task Verify_settles_only_the_lost_refunds_Stripes_total_accounts_for_and_the_rest_stay_reserved()
    {
        var (paymentId, _, _) = await PaidPayment();
        using var admin = App.Client().As(Credentials.AdminKey);
        Stripe.Drop("/v1/refunds", times: 3, afterProcessing: true); // Stripe refunds 600; every answer is lost
        var made = await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 600 });
        Stripe.Drop("/v1/refunds", times: 3, afterProcessing: false); // 400 never reaches Stripe
        var never = await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 400 });
        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable), (made.StatusCode, never.StatusCode));

        var verified = await App.Client().PostJson("/api/v1/payment/verify", new { payment_id = paymentId });
        Assert.Equal(("partially_refunded", 600L), ((await verified.Body()).Str("status"), (await verified.Body()).GetProperty("refunded").GetInt64()));

        var detail = await (await admin.GetAsync($"/api/v1/payments/{paymentId}")).Body();
        Assert.Equal(
            [((await made.Body()).Str("refund_id"), "succeeded"), ((await never.Body()).Str("refund_id"), "pending")],
            detail.GetProperty("refunds").EnumerateArray().Select(r => (r.Str("refund_id"), r.Str("status"))).OrderByDescending(r => r.Item2));
        await using (var db = App.Db())
        {
            var reconciled = await db.Context.AuditLog.Where(a => a.PaymentId == paymentId && a.Action == "payment.refund_reconciled").ToListAsync();
            Assert.Contains((await made.Body()).Str("refund_id"), Assert.Single(reconciled).Data);
        }
        // Stripe has 600 of 1900; 400 more may still be on its way there: 900 is what can be refunded now.
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 901 })).StatusCode);
    }

    [Fact]
    public async Task A_partial_refund_retried_with_its_Idempotency_Key_after_a_lost_answer_refunds_once()
    {
        var (paymentId, _, intentId) = await PaidPayment();
        using var admin = App.Client().As(Credentials.AdminKey);
        Stripe.Drop("/v1/refunds", times: 3, afterProcessing: true); // Stripe refunds; every answer is lost
        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payment/refund")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { payment_id = paymentId, amount = 600 }, options: Json.Options),
            };
            request.Headers.Add("Idempotency-Key", "partial-" + paymentId);
            return request;
        }

        var lost = await admin.SendAsync(Request());
        var retried = await admin.SendAsync(Request());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, lost.StatusCode);
        var body = await retried.Body();
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(((await lost.Body()).Str("refund_id"), "succeeded", 600L),
            (body.Str("refund_id"), body.Str("status"), body.GetProperty("refunded").GetInt64()));
        var keys = Stripe.RequestsTo("/v1/refunds").Where(r => r["payment_intent"] == intentId).Select(r => r.Header("Idempotency-Key")).Distinct();
        Assert.Single(keys); // one refund at Stripe, asked for under one key
        Assert.Equal((PaymentStatus.PartiallyRefunded, 600), await StateOf(paymentId));
    }

    [Fact]
    public async Task A_refund_made_in_Stripes_dashboard_is_counted_when_the_next_one_goes_through_the_API()
    {
        var (paymentId, sessionId, intentId) = await PaidPayment();
        await Refund(paymentId, sessionId, intentId, 1000, $"{paymentId}-from-the-dashboard"); // not through our API; its webhook is lost
        using var admin = App.Client().As(Credentials.AdminKey);

        var response = await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 900 });

        var body = await response.Body();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("refunded", 1900L), (body.Str("payment_status"), body.GetProperty("refunded").GetInt64()));
        Assert.Equal((PaymentStatus.Refunded, 1900), await StateOf(paymentId));        Assert.Equal([(900L, "succeeded", false), (1000L, "succeeded", true)], (await RefundRows(paymentId)).OrderBy(r => r.Item3));
    }

    /// <summary>The payment's refund rows, oldest first: amount, status and whether the provider reported it (a refund made outside our API).</summary>
    private async Task<List<(long Amount, string Status, bool AtProvider)>> RefundRows(string paymentId)
    {
        await using var db = App.Db();
        var rows = await db.Context.Refunds.AsNoTracking().Where(r => r.PaymentId == paymentId).ToListAsync();
        return rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .Select(r => (r.AmountMinor, r.Status, r.RequestedBy == "provider:stripe")).ToList();
    }

    [Fact]
    public async Task A_refund_made_in_Stripes_dashboard_and_reported_by_charge_refunded_gets_a_refund_row_for_exactly_the_new_amount()
    {
        var (paymentId, sessionId, intentId) = await PaidPayment();

        await Refund(paymentId, sessionId, intentId, 500, $"{paymentId}-dashboard-1"); // not through our API
        var first = Stripe.LastEvent("charge.refunded");
        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(first));
        Assert.Equal([(500L, "succeeded", true)], await RefundRows(paymentId));

        await Refund(paymentId, sessionId, intentId, 700, $"{paymentId}-dashboard-2"); // Stripe now reports 1200 in all
        var second = Stripe.LastEvent("charge.refunded");
        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(second));
        Assert.Equal([(500L, "succeeded", true), (700L, "succeeded", true)], await RefundRows(paymentId));

        // The same report again (a retry, and the same total in a new event) and an older one add nothing.
        Assert.Equal((HttpStatusCode.OK, "duplicate"), await Deliver(second));
        var resent = Stripe.Emit("charge.refunded", System.Text.Json.Nodes.JsonNode.Parse(second.Body)!["data"]!["object"]!.AsObject());
        Assert.Equal((HttpStatusCode.OK, "no_change"), await Deliver(resent));
        Assert.Equal((HttpStatusCode.OK, "duplicate"), await Deliver(first));
        Assert.Equal([(500L, "succeeded", true), (700L, "succeeded", true)], await RefundRows(paymentId));
        Assert.Equal((PaymentStatus.PartiallyRefunded, 1200), await StateOf(paymentId));
        Assert.Equal(2, (await AuditActions(paymentId)).Count(a => a == OutsideRefunds.RecordedAction));

        // What is left to refund through our API counts them: 700 more, not 1900.
        using var admin = App.Client().As(Credentials.AdminKey);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 701 })).StatusCode);
    }

    [Fact]
    public async Task A_refund_through_the_API_followed_by_its_charge_refunded_keeps_one_row_and_a_later_dashboard_refund_adds_its_own()
    {
        var (paymentId, sessionId, intentId) = await PaidPayment();
        using var admin = App.Client().As(Credentials.AdminKey);

        var response = await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 700 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((HttpStatusCode.OK, "no_change"), await Deliver(Stripe.LastEvent("charge.refunded"))); // reports the same 700
        Assert.Equal([(700L, "succeeded", false)], await RefundRows(paymentId));

        await Refund(paymentId, sessionId, intentId, 300, $"{paymentId}-dashboard"); // Stripe reports 1000 in all
        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(Stripe.LastEvent("charge.refunded")));
        Assert.Equal([(700L, "succeeded", false), (300L, "succeeded", true)], await RefundRows(paymentId));
        Assert.Equal((PaymentStatus.PartiallyRefunded, 1000), await StateOf(paymentId));
    }

    [Fact]
    public async Task A_pending_refund_of_ours_is_not_recorded_again_when_Stripes_report_arrives_before_its_answer()
    {
        var (paymentId, sessionId, intentId) = await PaidPayment();
        using var admin = App.Client().As(Credentials.AdminKey);
        Stripe.Drop("/v1/refunds", times: 3, afterProcessing: true); // Stripe refunds 600; every answer is lost
        var lost = await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 600 });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, lost.StatusCode);
        await Refund(paymentId, sessionId, intentId, 200, $"{paymentId}-dashboard"); // and 200 from the dashboard: 800 in all

        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(Stripe.LastEvent("charge.refunded")));
        Assert.Equal([(600L, "pending", false), (200L, "succeeded", true)], await RefundRows(paymentId));

        Assert.Equal(HttpStatusCode.OK, (await App.Client().PostJson("/api/v1/payment/verify", new { payment_id = paymentId })).StatusCode);
        Assert.Equal([(600L, "succeeded", false), (200L, "succeeded", true)], await RefundRows(paymentId));
        Assert.Equal((PaymentStatus.PartiallyRefunded, 800), await StateOf(paymentId));
    }

    [Fact]
    public async Task A_dashboard_refund_counted_as_our_pending_refund_gets_its_row_when_ours_fails()
    {
        var (paymentId, sessionId, intentId) = await PaidPayment();
        Stripe.Delay("/v1/refunds", times: 1, TimeSpan.FromSeconds(1)); // our refund of 600 waits at Stripe
        var refundCalls = Stripe.RequestsTo("/v1/refunds").Count; // the fake is shared by this class's tests
        using var admin = App.Client().As(Credentials.AdminKey);
        var ours = admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 600 });
        while (Stripe.RequestsTo("/v1/refunds").Count == refundCalls) await Task.Delay(10);

        // Meanwhile 1500 is refunded in the dashboard and reported: 600 of it is taken for our pending refund.
        await Refund(paymentId, sessionId, intentId, 1500, $"{paymentId}-dashboard");
        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(Stripe.LastEvent("charge.refunded")));
        Assert.Equal([(600L, "pending", false), (900L, "succeeded", true)], await RefundRows(paymentId));

        var response = await ours; // Stripe refuses it: only 400 is left
        Assert.Equal("failed", (await response.Body()).Str("status"));
        Assert.Equal([(600L, "failed", false), (900L, "succeeded", true), (600L, "succeeded", true)], await RefundRows(paymentId));
        Assert.Equal((PaymentStatus.PartiallyRefunded, 1500), await StateOf(paymentId));
    }

    [Fact]
    public async Task A_dashboard_refund_whose_webhook_was_lost_gets_its_row_when_verify_learns_the_total()
    {
        var (paymentId, sessionId, intentId) = await PaidPayment();
        await Refund(paymentId, sessionId, intentId, 400, $"{paymentId}-dashboard"); // its webhook is lost

        var verified = await (await App.Client().PostJson("/api/v1/payment/verify", new { payment_id = paymentId })).Body();

        Assert.Equal(("partially_refunded", 400L), (verified.Str("status"), verified.GetProperty("refunded").GetInt64()));
        Assert.Equal([(400L, "succeeded", true)], await RefundRows(paymentId));
        Assert.Equal((HttpStatusCode.OK, "no_change"), await Deliver(Stripe.LastEvent("charge.refunded"))); // the webhook after all
        Assert.Equal([(400L, "succeeded", true)], await RefundRows(paymentId));
    }

    [Fact]
    public async Task A_partial_then_a_full_refund_reach_refunded_through_charge_refunded()
    {
        var (paymentId, sessionId, intentId) = await PaidPayment();

        var first = await Refund(paymentId, sessionId, (await Load(paymentId)).ProviderReference, 500, $"{paymentId}-refund-1");
        Assert.Equal(RefundStatus.Succeeded, first.Status);
        Assert.StartsWith("re_", first.ProviderRefundId);
        var sent = Stripe.RequestsTo("/v1/refunds").Last();
        Assert.Equal((intentId, "500", "requested_by_customer", $"{paymentId}-refund-1", paymentId),
            (sent["payment_intent"], sent["amount"], sent["reason"], sent.Header("Idempotency-Key"), sent["metadata[payment_id]"]));
        var firstEvent = Stripe.LastEvent("charge.refunded");
        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(firstEvent));
        Assert.Equal((PaymentStatus.PartiallyRefunded, 500), await StateOf(paymentId));

        // The same refund asked again (a retried admin click) is replayed by Stripe, not made twice.
        var again = await Refund(paymentId, sessionId, intentId, 500, $"{paymentId}-refund-1");
        Assert.Equal(first.ProviderRefundId, again.ProviderRefundId);
        Assert.Single(Stripe.Events, e => e.Type == "charge.refunded" && System.Text.Encoding.UTF8.GetString(e.Body).Contains(intentId));

        var rest = await Refund(paymentId, sessionId, intentId, 1400, $"{paymentId}-refund-2");
        Assert.Equal(RefundStatus.Succeeded, rest.Status);
        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(Stripe.LastEvent("charge.refunded")));
        Assert.Equal((PaymentStatus.Refunded, 1900), await StateOf(paymentId));

        // A late copy of the first report (cumulative 500) changes nothing.
        Assert.Equal((HttpStatusCode.OK, "duplicate"), await Deliver(firstEvent));
        var resent = Stripe.Emit("charge.refunded", System.Text.Json.Nodes.JsonNode.Parse(firstEvent.Body)!["data"]!["object"]!.AsObject());
        Assert.Equal((HttpStatusCode.OK, "no_change"), await Deliver(resent));
        Assert.Equal((PaymentStatus.Refunded, 1900), await StateOf(paymentId));

        var refused = await Refund(paymentId, sessionId, intentId, 100, $"{paymentId}-refund-3");
        Assert.Equal(RefundStatus.Failed, refused.Status);
        Assert.Contains("charge_already_refunded", refused.FailureReason);
    }

    [Fact]
    public async Task Refund_reports_arriving_before_the_success_and_out_of_order_still_settle_exactly()
    {
        var (paymentId, sessionId, intentId) = await PaidPayment(deliver: false);
        var completed = Stripe.LastEvent("checkout.session.completed");
        await Refund(paymentId, sessionId, intentId, 500, $"{paymentId}-r1");
        var partial = Stripe.LastEvent("charge.refunded");
        await Refund(paymentId, sessionId, intentId, 1400, $"{paymentId}-r2");
        var full = Stripe.LastEvent("charge.refunded");

        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(full));  // proves the payment, then refunds it all
        Assert.Equal((PaymentStatus.Refunded, 1900), await StateOf(paymentId));
        Assert.Equal((HttpStatusCode.OK, "no_change"), await Deliver(partial));
        Assert.Equal((HttpStatusCode.OK, "no_change"), await Deliver(completed));
        Assert.Equal((PaymentStatus.Refunded, 1900), await StateOf(paymentId));
        Assert.Equal(["payment.finalize", "payment.refund"], (await AuditActions(paymentId)).Where(a => a is "payment.finalize" or "payment.refund"));
    }

    [Fact]
    public async Task A_refund_of_a_hosted_payment_without_a_known_intent_finds_it_through_the_session()
    {
        var (paymentId, sessionId, intentId) = await PaidPayment(deliver: false);
        Assert.Equal(RefundStatus.Succeeded, (await Refund(paymentId, sessionId, null, 700, $"{paymentId}-r")).Status);
        Assert.Equal(intentId, Stripe.RequestsTo("/v1/refunds").Last()["payment_intent"]);
    }

    [Fact]
    public async Task Verify_retrieves_the_session_and_heals_missed_success_and_refund_webhooks()
    {
        using var http = App.Client();
        var (paymentId, sessionId, intentId) = await PaidPayment(deliver: false);

        var verified = await (await http.PostJson("/api/v1/payment/verify", new { payment_id = paymentId })).Body();
        Assert.Equal(("succeeded", 0), (verified.Str("status"), verified.GetProperty("refunded").GetInt64()));
        var get = Stripe.RequestsTo($"/v1/checkout/sessions/{sessionId}").Last();
        Assert.Equal("payment_intent.latest_charge", get["expand[0]"]); // Stripe.net indexes lists; Stripe takes expand[] alike
        Assert.Equal(intentId, (await Load(paymentId)).ProviderReference);

        await Refund(paymentId, sessionId, intentId, 400, $"{paymentId}-r");
        var healed = await (await http.PostJson("/api/v1/payment/verify", new { payment_id = sessionId })).Body();
        Assert.Equal(("partially_refunded", 400), (healed.Str("status"), healed.GetProperty("refunded").GetInt64()));
    }

    [Fact]
    public async Task Verify_sees_an_expired_session_and_an_open_one_stays_pending()
    {
        using var http = App.Client();
        var (open, _, _) = await StartPayment();
        var (expired, expiredSession, _) = await StartPayment();
        Stripe.Expire(expiredSession);

        Assert.Equal("pending", (await (await http.PostJson("/api/v1/payment/verify", new { payment_id = open })).Body()).Str("status"));
        Assert.Equal("expired", (await (await http.PostJson("/api/v1/payment/verify", new { payment_id = expired })).Body()).Str("status"));
    }

    [Fact]
    public async Task Embedded_mode_returns_a_client_secret_and_settles_by_PaymentIntent_events()
    {
        var (paymentId, intentId, intent) = await StartPayment(mode: "embedded");
        Assert.StartsWith("pi_", intentId);
        Assert.StartsWith($"{intentId}_secret_", intent.Str("client_secret"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, intent.GetProperty("redirect_url").ValueKind);
        var sent = Stripe.RequestsTo("/v1/payment_intents").Single(r => r["metadata[payment_id]"] == paymentId);
        Assert.Equal(("1900", "eur", "true", $"{paymentId}-checkout"),
            (sent["amount"], sent["currency"], sent["automatic_payment_methods[enabled]"], sent.Header("Idempotency-Key")));

        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(Stripe.Confirm(intentId, declineCode: "card_declined")));
        Assert.Equal(PaymentStatus.Failed, (await Load(paymentId)).Status);
        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(Stripe.Confirm(intentId)));
        Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);

        using var http = App.Client();
        var verified = await (await http.PostJson("/api/v1/payment/verify", new { payment_id = intentId })).Body();
        Assert.Equal("succeeded", verified.Str("status"));
    }

    [Fact]
    public async Task A_canceled_PaymentIntent_cancels_the_payment()
    {
        var (paymentId, intentId, _) = await StartPayment(mode: "embedded");
        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(Stripe.Cancel(intentId)));
        var payment = await Load(paymentId);
        Assert.Equal((PaymentStatus.Canceled, "canceled: requested_by_customer"), (payment.Status, payment.FailureReason));
    }
}

public sealed class StripeRefundAndVerifyFlowTests_Sqlite(StripeSqliteApp app) : StripeRefundAndVerifyFlowTests<StripeSqliteApp>(app);

public sealed class StripeRefundAndVerifyFlowTests_Postgres(StripePostgresApp app) : StripeRefundAndVerifyFlowTests<StripePostgresApp>(app);
