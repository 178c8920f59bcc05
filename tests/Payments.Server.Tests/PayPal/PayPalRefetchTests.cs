using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Providers.PayPal;
using Payments.Server.Tests.Fakes.PayPal;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.PayPal;

/// <summary>
/// No PAYPAL_WEBHOOK_ID: a delivery cannot be verified, so it is not trusted. The service fetches the
/// order, capture or refund it names from PayPal and applies what PayPal says, whatever the body claims.
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
        Assert.Equal("refetch", (await EventRow(approval.EventId)).Verification);
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

        // Nothing in an untrusted body is believed, not even which payment it names.
        Assert.Equal((HttpStatusCode.OK, "unmatched", (string?)null), await Read(response));
        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status);
        Assert.Single(PayPal.RequestsTo("GET", "/v2/payments/captures/7TK53561YB803214S"));
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
    public async Task A_body_that_is_not_a_PayPal_event_is_refused_with_400()
    {
        using var http = App.Client();
        var response = await http.PostAsync("/api/v1/payment/webhook/paypal", new StringContent("{\"hello\":1}", Encoding.UTF8, "application/json"));
        Assert.Equal((HttpStatusCode.BadRequest, (string?)null, "malformed_event"), await Read(response));
    }
}

public sealed class PayPalRefetchTests_Sqlite(PayPalSqliteApp_Refetch app) : PayPalRefetchTests<PayPalSqliteApp_Refetch>(app);

public sealed class PayPalRefetchTests_Postgres(PayPalPostgresApp_Refetch app) : PayPalRefetchTests<PayPalPostgresApp_Refetch>(app);
