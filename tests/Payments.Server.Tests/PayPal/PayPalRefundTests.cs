using System.Net;
using Payments.Core.Money;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Providers.PayPal;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.PayPal;

/// <summary>Refunds against the capture (POST /v2/payments/captures/{id}/refund) and PAYMENT.CAPTURE.REFUNDED.</summary>
public abstract class PayPalRefundTests<TApp>(TApp fixture) : PayPalTestsBase<TApp>(fixture) where TApp : AppFixture, IPayPalApp
{
    private PayPalProvider Provider => App.Get<PayPalProvider>();

    private Task<RefundResult> Refund(string paymentId, string orderId, string? captureId, Money amount, string key) =>
        Provider.RefundAsync(new RefundRequest(paymentId, orderId, captureId, amount, key, "Customer asked"), default);

    [Fact]
    public async Task A_partial_then_a_full_refund_move_the_payment_to_partially_refunded_then_refunded()
    {
        var (paymentId, orderId, captureId) = await PaidPayment("pro");

        var first = await Refund(paymentId, orderId, captureId, Money.Of(900, "EUR"), $"{paymentId}-refund-1");
        var retried = await Refund(paymentId, orderId, captureId, Money.Of(900, "EUR"), $"{paymentId}-refund-1");
        Assert.Equal(RefundStatus.Succeeded, first.Status);
        Assert.Equal(first.ProviderRefundId, retried.ProviderRefundId); // same PayPal-Request-Id: one refund
        Assert.Single(PayPal.State.Captures[captureId].Refunds);
        var sent = PayPal.RequestsTo("POST", $"/v2/payments/captures/{captureId}/refund")[0];
        Assert.Equal(($"{paymentId}-refund-1", "9.00", "EUR", paymentId),
            (sent.Header("PayPal-Request-Id"), (string?)sent.Json!["amount"]!["value"], (string?)sent.Json["amount"]!["currency_code"], (string?)sent.Json["custom_id"]));

        var firstEvent = PayPal.RefundEvent(first.ProviderRefundId!);
        Assert.Equal("applied", (await Read(await PayPal.DeliverAsync(firstEvent))).Outcome);
        var partially = await Load(paymentId);
        Assert.Equal((PaymentStatus.PartiallyRefunded, 900L), (partially.Status, partially.RefundedMinor));

        // Without the capture id: the provider finds it on the order.
        var rest = await Refund(paymentId, orderId, null, Money.Of(2000, "EUR"), $"{paymentId}-refund-2");
        Assert.Equal("applied", (await Read(await PayPal.DeliverAsync(PayPal.RefundEvent(rest.ProviderRefundId!)))).Outcome);
        var refunded = await Load(paymentId);
        Assert.Equal((PaymentStatus.Refunded, 2900L), (refunded.Status, refunded.RefundedMinor));

        // The first refund reported again in a new envelope: its cumulative total is lower, so nothing moves.
        Assert.Equal("no_change", (await Read(await PayPal.DeliverAsync(PayPal.RefundEvent(first.ProviderRefundId!)))).Outcome);
        Assert.Equal(2900L, (await Load(paymentId)).RefundedMinor);
    }

    [Fact]
    public async Task A_refund_PayPal_cannot_represent_fails_and_releases_what_it_reserved()
    {
        var (paymentId, _, captureId) = await PaidPayment("forint"); // 1000.00 HUF; PayPal takes whole forints only
        using var admin = App.Client().As(Credentials.AdminKey);

        var fractional = await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 1050 }); // 10.50 HUF
        var whole = await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 100000 });  // all 1000 HUF

        Assert.Equal(HttpStatusCode.UnprocessableEntity, fractional.StatusCode);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode); // the failed attempt reserved nothing that blocks this
        Assert.Equal(("succeeded", "refunded"), ((await whole.Body()).Str("status"), (await whole.Body()).Str("payment_status")));
        Assert.Single(PayPal.State.Captures[captureId].Refunds);
    }

    [Fact]
    public async Task Refunding_more_than_is_left_is_a_failed_result_and_moves_no_money()
    {
        var (paymentId, orderId, captureId) = await PaidPayment();
        await Refund(paymentId, orderId, captureId, Money.Of(1900, "EUR"), $"{paymentId}-refund-all");

        var again = await Refund(paymentId, orderId, captureId, Money.Of(1, "EUR"), $"{paymentId}-refund-more");

        Assert.Equal((RefundStatus.Failed, (string?)null), (again.Status, again.ProviderRefundId));
        Assert.Contains("CAPTURE_FULLY_REFUNDED", again.FailureReason);
        Assert.Single(PayPal.State.Captures[captureId].Refunds);
    }

    [Fact]
    public async Task A_refund_event_without_its_cumulative_total_is_completed_by_asking_PayPal()
    {
        var (paymentId, orderId, captureId) = await PaidPayment();
        var refund = await Refund(paymentId, orderId, captureId, Money.Of(500, "EUR"), $"{paymentId}-refund-1");

        var response = await PayPal.DeliverAsync(PayPal.RefundEvent(refund.ProviderRefundId!, r => r.Remove("seller_payable_breakdown")));

        Assert.Equal((HttpStatusCode.OK, "applied", (string?)null), await Read(response));
        Assert.Equal(500L, (await Load(paymentId)).RefundedMinor);
        Assert.Single(PayPal.RequestsTo("GET", $"/v2/payments/refunds/{refund.ProviderRefundId}"));
    }

    [Fact]
    public async Task A_yen_refund_is_sent_in_whole_yen_and_verify_counts_refunds_from_the_order()
    {
        var (paymentId, orderId, captureId) = await PaidPayment("yen");
        var refund = await Refund(paymentId, orderId, captureId, Money.Of(100, "JPY"), $"{paymentId}-refund-1");
        Assert.Equal(RefundStatus.Succeeded, refund.Status);
        Assert.Equal("100", (string?)PayPal.RequestsTo("POST", $"/v2/payments/captures/{captureId}/refund")[0].Json!["amount"]!["value"]);

        // The refund webhook is lost; verify finds the refund on the order.
        using var http = App.Client();
        var body = await (await http.PostJson("/api/v1/payment/verify", new { payment_id = paymentId })).Body();
        Assert.Equal(("partially_refunded", 100L), (body.Str("status"), body.GetProperty("refunded").GetInt64()));
    }
}

public sealed class PayPalRefundTests_Sqlite(PayPalSqliteApp_Api app) : PayPalRefundTests<PayPalSqliteApp_Api>(app);

public sealed class PayPalRefundTests_Postgres(PayPalPostgresApp_Api app) : PayPalRefundTests<PayPalPostgresApp_Api>(app);
