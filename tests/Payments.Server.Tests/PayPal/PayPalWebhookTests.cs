using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Payments.Core.Payments;
using Payments.Server.Tests.Fakes.PayPal;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.PayPal;

/// <summary>PayPal webhooks verified by PayPal's verify-webhook-signature API (PAYPAL_WEBHOOK_ID set).</summary>
public abstract class PayPalWebhookTests<TApp>(TApp fixture) : PayPalTestsBase<TApp>(fixture) where TApp : AppFixture, IPayPalApp
{
    [Fact]
    public async Task A_signed_event_with_a_lower_case_currency_is_malformed_and_changes_nothing()
    {
        var (paymentId, orderId) = await NewPayPalPayment();
        PayPal.Approve(orderId);
        await CaptureRoute(orderId);
        var captureId = PayPal.State.CaptureOf(orderId).Id;
        var before = await Load(paymentId);

        var lower = PayPal.CaptureEvent("PAYMENT.CAPTURE.DENIED", captureId, c => c["amount"]!["currency_code"] = "eur");
        var response = await PayPal.DeliverAsync(lower);

        Assert.Equal((HttpStatusCode.BadRequest, (string?)null, "malformed_event"), await Read(response));
        Assert.Equal(before.Status, (await Load(paymentId)).Status);
    }

    [Fact]
    public async Task The_approval_webhook_is_verified_by_PayPal_captures_the_order_and_settles_it()
    {
        var (paymentId, orderId) = await NewPayPalPayment();
        PayPal.Approve(orderId);
        var approval = PayPal.OrderApproved(orderId);
        var verifyCalls = PayPal.VerifyCalls;

        var response = await PayPal.DeliverAsync(approval);

        Assert.Equal((HttpStatusCode.OK, "applied", (string?)null), await Read(response));
        Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);
        var verify = PayPal.RequestsTo("POST", "/v1/notifications/verify-webhook-signature")[verifyCalls];
        Assert.Equal(PayPal.WebhookId, (string?)verify.Json!["webhook_id"]);
        Assert.Contains("\"verification_status\":\"SUCCESS\"", verify.ResponseBody);
        Assert.Equal($"{paymentId}-capture", Assert.Single(PayPal.RequestsTo("POST", $"/v2/checkout/orders/{orderId}/capture")).Header("PayPal-Request-Id"));
        var row = await EventRow(approval.EventId);
        Assert.Equal(("CHECKOUT.ORDER.APPROVED", "paypal-api", "applied", paymentId), (row.EventType, row.Verification, row.Outcome, row.PaymentId));
        Assert.Equal(Encoding.UTF8.GetString(approval.Body), row.RawBody);

        // PayPal then reports the capture, and may deliver the approval again: neither changes anything.
        var completed = await PayPal.DeliverAsync(PayPal.CaptureEvent("PAYMENT.CAPTURE.COMPLETED", PayPal.State.CaptureOf(orderId).Id));
        var again = await PayPal.DeliverAsync(approval);
        Assert.Equal("no_change", (await Read(completed)).Outcome);
        Assert.Equal("duplicate", (await Read(again)).Outcome);
        Assert.Single(PayPal.RequestsTo("POST", $"/v2/checkout/orders/{orderId}/capture"));
        Assert.Single(await AuditActions(paymentId), a => a == "payment.finalize");
    }

    [Fact]
    public async Task An_approval_delivered_again_after_a_declined_capture_does_not_capture_again()
    {
        // A failed payment may still be captured (the buyer can approve again), but a repeated delivery of
        // the same approval is a duplicate: it must not reach PayPal, whose answer would then go unrecorded.
        var (paymentId, orderId) = await NewPayPalPayment();
        PayPal.Approve(orderId, CaptureOutcome.Declined);
        var approval = PayPal.OrderApproved(orderId);

        var first = await PayPal.DeliverAsync(approval);
        var again = await PayPal.DeliverAsync(approval);

        Assert.Equal("applied", (await Read(first)).Outcome);
        Assert.Equal("duplicate", (await Read(again)).Outcome);
        Assert.Equal(PaymentStatus.Failed, (await Load(paymentId)).Status);
        Assert.Single(PayPal.RequestsTo("POST", $"/v2/checkout/orders/{orderId}/capture"));
    }

    [Fact]
    public async Task A_tampered_delivery_or_one_signed_for_another_webhook_is_refused_with_400_and_captures_nothing()
    {
        var (paymentId, orderId) = await NewPayPalPayment();
        PayPal.Approve(orderId);
        var approval = PayPal.OrderApproved(orderId);
        var tampered = approval.WithBody(Encoding.UTF8.GetString(approval.Body).Replace("\"19.00\"", "\"19.01\"", StringComparison.Ordinal));
        var otherWebhook = PayPal.Sign(approval.Body, webhookId: "NotToBeFound");

        foreach (var delivery in new[] { tampered, otherWebhook, approval.WithHeader("PAYPAL-TRANSMISSION-SIG", null) })
            Assert.Equal((HttpStatusCode.BadRequest, (string?)null, "signature_invalid"), await Read(await PayPal.DeliverAsync(delivery)));

        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status);
        Assert.Empty(PayPal.RequestsTo("POST", $"/v2/checkout/orders/{orderId}/capture"));
        Assert.Equal(0, await EventRows(approval.EventId));
    }

    [Fact]
    public async Task A_delivery_pointing_at_a_certificate_outside_paypal_com_is_refused_without_asking_PayPal()
    {
        var (_, orderId) = await NewPayPalPayment();
        PayPal.Approve(orderId);
        var approval = PayPal.OrderApproved(orderId);
        var calls = PayPal.VerifyCalls;

        var foreign = await PayPal.DeliverAsync(approval.WithHeader("PAYPAL-CERT-URL", "https://certs.example.com/paypal.com/CERT-1"));
        var plainHttp = await PayPal.DeliverAsync(approval.WithHeader("PAYPAL-CERT-URL", PayPal.CertUrl.Replace("https:", "http:")));

        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, plainHttp.StatusCode);
        Assert.Equal(calls, PayPal.VerifyCalls);
    }

    [Fact]
    public async Task A_pending_capture_stays_pending_until_PAYMENT_CAPTURE_COMPLETED()
    {
        var (paymentId, orderId) = await NewPayPalPayment();
        PayPal.Approve(orderId, CaptureOutcome.Pending);
        Assert.Equal("pending", (await (await CaptureRoute(orderId)).Body()).Str("status"));
        var captureId = PayPal.State.CaptureOf(orderId).Id;

        PayPal.SettlePendingCapture(captureId, completed: true);
        var response = await PayPal.DeliverAsync(PayPal.CaptureEvent("PAYMENT.CAPTURE.COMPLETED", captureId));

        Assert.Equal("applied", (await Read(response)).Outcome);
        var payment = await Load(paymentId);
        Assert.Equal((PaymentStatus.Succeeded, captureId), (payment.Status, payment.ProviderReference));
    }

    [Fact]
    public async Task A_pending_capture_that_PayPal_denies_fails_the_payment()
    {
        var (paymentId, orderId) = await NewPayPalPayment();
        PayPal.Approve(orderId, CaptureOutcome.Pending);
        await CaptureRoute(orderId);
        var captureId = PayPal.State.CaptureOf(orderId).Id;

        PayPal.SettlePendingCapture(captureId, completed: false);
        var response = await PayPal.DeliverAsync(PayPal.CaptureEvent("PAYMENT.CAPTURE.DENIED", captureId));

        Assert.Equal("applied", (await Read(response)).Outcome);
        var payment = await Load(paymentId);
        Assert.Equal(PaymentStatus.Failed, payment.Status);
        Assert.Contains("DECLINED", payment.FailureReason);
        Assert.Equal(captureId, payment.ProviderReference);
    }

    [Fact]
    public async Task A_capture_reported_for_another_amount_answers_409_and_marks_the_payment_conflicted()
    {
        var (paymentId, orderId) = await NewPayPalPayment();
        PayPal.Approve(orderId, CaptureOutcome.Pending);
        await CaptureRoute(orderId);
        var captureId = PayPal.State.CaptureOf(orderId).Id;

        var response = await PayPal.DeliverAsync(PayPal.CaptureEvent("PAYMENT.CAPTURE.COMPLETED", captureId,
            c => c["amount"] = new JsonObject { ["currency_code"] = "EUR", ["value"] = "1.00" }));

        Assert.Equal((HttpStatusCode.Conflict, (string?)null, "amount_mismatch"), await Read(response));
        Assert.Equal(PaymentStatus.Conflicted, (await Load(paymentId)).Status);
    }

    [Fact]
    public async Task An_approval_for_an_order_this_service_did_not_create_is_recorded_and_never_captured()
    {
        var order = new FakeOrder { Id = FakePayPalState.NewId(), Status = "APPROVED", Amount = new FakeAmount("EUR", 5000), CustomId = "someone-else" };
        lock (PayPal.State.Gate) PayPal.State.Orders[order.Id] = order;

        var response = await PayPal.DeliverAsync(PayPal.OrderApproved(order.Id));

        Assert.Equal((HttpStatusCode.OK, "unmatched", (string?)null), await Read(response));
        Assert.Empty(PayPal.RequestsTo("POST", $"/v2/checkout/orders/{order.Id}/capture"));
    }

    [Fact]
    public async Task Event_types_the_service_does_not_act_on_are_recorded_as_informational()
    {
        var (paymentId, _, captureId) = await PaidPayment();
        var reversed = PayPal.CaptureEvent("PAYMENT.CAPTURE.REVERSED", captureId);
        Assert.Equal((HttpStatusCode.OK, "informational", (string?)null), await Read(await PayPal.DeliverAsync(reversed)));
        Assert.Equal(paymentId, (await EventRow(reversed.EventId)).PaymentId); // filed with its payment for the operator
        Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);
    }
}

public sealed class PayPalWebhookTests_Sqlite(PayPalSqliteApp_Api app) : PayPalWebhookTests<PayPalSqliteApp_Api>(app);

public sealed class PayPalWebhookTests_Postgres(PayPalPostgresApp_Api app) : PayPalWebhookTests<PayPalPostgresApp_Api>(app);
