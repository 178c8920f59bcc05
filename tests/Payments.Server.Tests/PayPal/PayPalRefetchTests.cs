using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Providers.PayPal;
using Payments.Server.Data.Entities;
using Payments.Server.Tests.Fakes.PayPal;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.PayPal;

/// <summary>
/// No PAYPAL_WEBHOOK_ID: a delivery cannot be verified, so it is not trusted. The service fetches the
/// order, capture or refund it names from PayPal and applies what PayPal says, whatever the body claims;
/// the event is keyed and stored by PayPal's answer, never by the body's id or bytes, and audited as unsigned.
/// </summary>
public abstract class PayPalRefetchTests<TApp>(TApp fixture) : PayPalTestsBase<TApp>(fixture) where TApp : AppFixture, IPayPalApp
{
    /// <summary>What anyone can post: PayPal's shape, no signature headers at all.</summary>
    private static PayPalDelivery Unsigned(PayPalDelivery delivery) => delivery with { Headers = new Dictionary<string, string>() };

    [Fact]
    public async Task An_approval_is_fetched_from_PayPal_then_captured_and_settled()
    {
        var (paymentId, orderId) = await NewPayPalPayment();
        PayPal.Approve(orderId);
        var approval = Unsigned(PayPal.OrderApproved(orderId));

        var response = await PayPal.DeliverAsync(approval);

        Assert.Equal((HttpStatusCode.OK, "applied", (string?)null), await Read(response));
        Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);
        Assert.Equal("refetch", Assert.Single(await EventRowsOf(paymentId)).Verification);
        Assert.NotEmpty(PayPal.RequestsTo("GET", $"/v2/checkout/orders/{orderId}"));
        Assert.Equal(0, PayPal.VerifyCalls);
    }

    [Fact]
    public async Task A_forged_success_for_a_capture_PayPal_does_not_have_changes_nothing()
    {
        var (paymentId, orderId) = await NewPayPalPayment();
        var forged = PayPal.Event("PAYMENT.CAPTURE.COMPLETED", "capture", "forged", new JsonObject
        {
            ["id"] = "7TK53561YB803214S",
            ["status"] = "COMPLETED",
            ["amount"] = new JsonObject { ["currency_code"] = "EUR", ["value"] = "19.00" },
            ["custom_id"] = paymentId,
            ["supplementary_data"] = new JsonObject { ["related_ids"] = new JsonObject { ["order_id"] = orderId } },
        });

        var response = await PayPal.DeliverAsync(Unsigned(forged));

        // Nothing in an untrusted body is believed, not even which payment it names; PayPal's own
        // deliveries are about its own records, so one about a record it does not have is refused.
        Assert.Equal((HttpStatusCode.BadRequest, (string?)null, "malformed_event"), await Read(response));
        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status);
        Assert.Single(PayPal.RequestsTo("GET", "/v2/payments/captures/7TK53561YB803214S"));
        Assert.Empty(await EventRowsOf(paymentId));
        Assert.Equal(0, await EventRows(forged.EventId));
    }

    [Fact]
    public async Task A_forged_approval_of_an_order_the_buyer_never_approved_captures_nothing()
    {
        var (paymentId, orderId) = await NewPayPalPayment();
        var body = JsonNode.Parse(PayPal.OrderApproved(orderId).Body)!;
        body["resource"]!["status"] = "APPROVED"; // the order itself still waits for the buyer

        var response = await PayPal.DeliverAsync(new PayPalDelivery(Encoding.UTF8.GetBytes(body.ToJsonString()), new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status);
        Assert.Empty(PayPal.RequestsTo("POST", $"/v2/checkout/orders/{orderId}/capture"));
    }

    [Fact]
    public async Task PayPals_amount_is_applied_not_the_amount_in_the_body()
    {
        var (paymentId, orderId) = await NewPayPalPayment();
        PayPal.Approve(orderId, CaptureOutcome.Pending);
        await CaptureRoute(orderId);
        var captureId = PayPal.State.CaptureOf(orderId).Id;
        PayPal.SettlePendingCapture(captureId, completed: true);

        var lying = PayPal.CaptureEvent("PAYMENT.CAPTURE.COMPLETED", captureId,
            c => c["amount"] = new JsonObject { ["currency_code"] = "EUR", ["value"] = "1.00" });
        var response = await PayPal.DeliverAsync(Unsigned(lying));

        Assert.Equal((HttpStatusCode.OK, "applied", (string?)null), await Read(response));
        Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);
    }

    [Fact]
    public async Task A_refund_total_comes_from_PayPal_not_from_the_body()
    {
        var (paymentId, orderId, captureId) = await PaidPayment();
        var refund = await App.Get<PayPalProvider>().RefundAsync(
            new RefundRequest(paymentId, orderId, captureId, Core.Money.Money.Of(500, "EUR"), $"{paymentId}-refund-1"), default);
        var inflated = PayPal.RefundEvent(refund.ProviderRefundId!, r =>
            r["seller_payable_breakdown"]!["total_refunded_amount"] = new JsonObject { ["currency_code"] = "EUR", ["value"] = "19.00" });

        var response = await PayPal.DeliverAsync(Unsigned(inflated));

        Assert.Equal("applied", (await Read(response)).Outcome);
        var payment = await Load(paymentId);
        Assert.Equal((PaymentStatus.PartiallyRefunded, 500L), (payment.Status, payment.RefundedMinor));
    }

    [Fact]
    public async Task A_forged_delivery_with_a_chosen_event_id_does_not_block_PayPals_real_delivery()
    {
        var (paymentId, orderId) = await NewPayPalPayment();
        PayPal.Approve(orderId, CaptureOutcome.Pending);
        await CaptureRoute(orderId);
        var captureId = PayPal.State.CaptureOf(orderId).Id;
        var real = Unsigned(PayPal.CaptureEvent("PAYMENT.CAPTURE.COMPLETED", captureId));
        // Sent early, while the capture is still pending, under the id PayPal's completion will carry.
        var forged = JsonNode.Parse(real.Body)!;
        forged["summary"] = "forged";
        var early = await PayPal.DeliverAsync(real.WithBody(forged.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, early.StatusCode);
        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status);

        PayPal.SettlePendingCapture(captureId, completed: true);
        var response = await PayPal.DeliverAsync(real);

        Assert.Equal((HttpStatusCode.OK, "applied", (string?)null), await Read(response));
        Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);
        Assert.Equal(0, await EventRows(real.EventId)); // no row is keyed by what a sender wrote
    }

    [Fact]
    public async Task The_same_news_from_two_senders_is_one_event()
    {
        var (paymentId, _, captureId) = await PaidPayment();
        var first = Unsigned(PayPal.CaptureEvent("PAYMENT.CAPTURE.COMPLETED", captureId));
        var second = Unsigned(PayPal.CaptureEvent("PAYMENT.CAPTURE.COMPLETED", captureId)); // another envelope id

        Assert.Equal("no_change", (await Read(await PayPal.DeliverAsync(first))).Outcome);
        Assert.Equal("duplicate", (await Read(await PayPal.DeliverAsync(second))).Outcome);
        var row = Assert.Single(await EventRowsOf(paymentId));
        Assert.StartsWith($"{PayPalRefetchRecord.KeyPrefix}:capture:{captureId}:COMPLETED", row.ExternalEventId);
    }

    [Fact]
    public async Task An_unsigned_body_is_not_stored_only_what_PayPal_answered_about_it()
    {
        var (paymentId, _, captureId) = await PaidPayment();
        var padded = Unsigned(PayPal.CaptureEvent("PAYMENT.CAPTURE.COMPLETED", captureId,
            c => c["note"] = new string('x', 600 * 1024) + "<script>forged</script>"));

        var response = await PayPal.DeliverAsync(padded);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = Assert.Single(await EventRowsOf(paymentId));
        Assert.DoesNotContain("forged", row.RawBody);
        Assert.InRange(row.RawBody.Length, 1, PayPalRefetchRecord.MaxBytes);
        var stored = JsonNode.Parse(row.RawBody)!;
        Assert.Equal(captureId, stored["fetched_capture"]!["id"]!.GetValue<string>());
        Assert.Equal("COMPLETED", stored["fetched_capture"]!["status"]!.GetValue<string>());
        Assert.Equal(padded.EventId, stored["unverified_delivery"]!["id"]!.GetValue<string>());
        Assert.False(stored["signature_ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_unsigned_delivery_is_audited_as_not_signed()
    {
        var (paymentId, orderId) = await NewPayPalPayment();
        PayPal.Approve(orderId);

        await PayPal.DeliverAsync(Unsigned(PayPal.OrderApproved(orderId)));

        await using var db = App.Db();
        var audit = await db.Context.AuditLog.AsNoTracking().SingleAsync(a => a.PaymentId == paymentId && a.Action == "payment.webhook");
        var facts = JsonNode.Parse(audit.Data!)!;
        Assert.False(facts["signature_ok"]!.GetValue<bool>());
        Assert.Equal("refetch", facts["verification"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_second_approval_after_a_declined_capture_is_captured()
    {
        var (paymentId, orderId) = await NewPayPalPayment();
        PayPal.Approve(orderId, CaptureOutcome.Declined);
        await PayPal.DeliverAsync(Unsigned(PayPal.OrderApproved(orderId)));
        Assert.Equal(PaymentStatus.Failed, (await Load(paymentId)).Status);

        // The buyer picks another funding source and approves the same order again: PayPal's order changed,
        // so its approval is new news, not a duplicate of the first.
        PayPal.Approve(orderId);
        var response = await PayPal.DeliverAsync(Unsigned(PayPal.OrderApproved(orderId)));

        Assert.Equal((HttpStatusCode.OK, "applied", (string?)null), await Read(response));
        Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);
    }

    [Fact]
    public async Task An_unsigned_delivery_PayPal_cannot_be_asked_about_is_answered_200_and_stored_nowhere()
    {
        var dispute = Unsigned(PayPal.Event("CUSTOMER.DISPUTE.CREATED", "dispute", "A dispute was opened",
            new JsonObject { ["dispute_id"] = "PP-D-27803", ["reason"] = new string('x', 100_000) }));

        var response = await PayPal.DeliverAsync(dispute);

        Assert.Equal((HttpStatusCode.OK, "ignored", (string?)null), await Read(response));
        Assert.Equal(0, await EventRows(dispute.EventId));
    }

    private async Task<List<PaymentEvent>> EventRowsOf(string paymentId)
    {
        await using var db = App.Db();
        return await db.Context.PaymentEvents.AsNoTracking().Where(e => e.PaymentId == paymentId).OrderBy(e => e.Id).ToListAsync();
    }

    [Fact]
    public async Task A_body_that_is_not_a_PayPal_event_is_refused_with_400()
    {
        using var http = App.Client();
        var response = await http.PostAsync("/api/v1/payment/webhook/paypal", new StringContent("{\"hello\":1}", Encoding.UTF8, "application/json"));
        Assert.Equal((HttpStatusCode.BadRequest, (string?)null, "malformed_event"), await Read(response));
    }
}

public sealed class PayPalRefetchTests_Sqlite(PayPalSqliteApp_Refetch app) : PayPalRefetchTests<PayPalSqliteApp_Refetch>(app);

public sealed class PayPalRefetchTests_Postgres(PayPalPostgresApp_Refetch app) : PayPalRefetchTests<PayPalPostgresApp_Refetch>(app);
