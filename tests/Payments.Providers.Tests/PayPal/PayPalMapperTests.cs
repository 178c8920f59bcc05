using Payments.Core.Money;
using Payments.Core.Providers;
using Payments.Providers.PayPal;

namespace Payments.Providers.Tests.PayPal;

/// <summary>Every status PayPal documents, and one it might add, in our words.</summary>
public class PayPalMapperTests
{
    [Theory]
    [InlineData("CREATED", ProviderPaymentStatus.Pending)]
    [InlineData("SAVED", ProviderPaymentStatus.Pending)]
    [InlineData("PAYER_ACTION_REQUIRED", ProviderPaymentStatus.Pending)]
    [InlineData("APPROVED", ProviderPaymentStatus.Pending)]
    [InlineData("VOIDED", ProviderPaymentStatus.Canceled)]
    [InlineData("COMPLETED", ProviderPaymentStatus.Unknown)]
    [InlineData("SOMETHING_NEW", ProviderPaymentStatus.Unknown)]
    [InlineData(null, ProviderPaymentStatus.Unknown)]
    public void Order_statuses_alone_never_mean_paid(string? status, ProviderPaymentStatus expected) =>
        Assert.Equal(expected, PayPalMapper.OrderStatus(status));

    [Theory]
    [InlineData("COMPLETED", ProviderPaymentStatus.Succeeded)]
    [InlineData("PARTIALLY_REFUNDED", ProviderPaymentStatus.Succeeded)]
    [InlineData("REFUNDED", ProviderPaymentStatus.Succeeded)]
    [InlineData("PENDING", ProviderPaymentStatus.Pending)]
    [InlineData("DECLINED", ProviderPaymentStatus.Declined)]
    [InlineData("FAILED", ProviderPaymentStatus.Declined)]
    [InlineData("completed", ProviderPaymentStatus.Unknown)]
    [InlineData(null, ProviderPaymentStatus.Unknown)]
    public void Capture_statuses_decide_whether_money_moved(string? status, ProviderPaymentStatus expected) =>
        Assert.Equal(expected, PayPalMapper.CaptureStatus(status));

    [Theory]
    [InlineData("COMPLETED", RefundStatus.Succeeded)]
    [InlineData("PENDING", RefundStatus.Pending)]
    [InlineData("CANCELLED", RefundStatus.Failed)]
    [InlineData("FAILED", RefundStatus.Failed)]
    [InlineData("SOMETHING_NEW", RefundStatus.Pending)]
    public void Refund_statuses(string status, RefundStatus expected) =>
        Assert.Equal(expected, PayPalMapper.RefundStatusOf(status));

    [Theory]
    [InlineData("CHECKOUT.ORDER.APPROVED", ProviderEventKind.CaptureRequired)]
    [InlineData("PAYMENT.CAPTURE.COMPLETED", ProviderEventKind.PaymentSucceeded)]
    [InlineData("PAYMENT.CAPTURE.PENDING", ProviderEventKind.PaymentPending)]
    [InlineData("PAYMENT.CAPTURE.DENIED", ProviderEventKind.PaymentFailed)]
    [InlineData("PAYMENT.CAPTURE.DECLINED", ProviderEventKind.PaymentFailed)]
    [InlineData("PAYMENT.CAPTURE.REFUNDED", ProviderEventKind.Refunded)]
    [InlineData("PAYMENT.CAPTURE.REVERSED", ProviderEventKind.Informational)]
    [InlineData("CHECKOUT.ORDER.COMPLETED", ProviderEventKind.Informational)]
    [InlineData("PAYMENTS.PAYMENT.CREATED", ProviderEventKind.Informational)]
    public void Event_types(string type, ProviderEventKind expected) =>
        Assert.Equal(expected, PayPalMapper.EventKind(type));

    [Fact]
    public void A_captured_order_is_paid_with_the_captures_amount_and_its_completed_refunds_add_up()
    {
        var order = new PayPalOrder("5O190127TN364715T", "COMPLETED",
        [
            new PayPalPurchaseUnit("pay_1", "pay_1", new PayPalAmount("EUR", "29.00"), new PayPalPurchaseUnitPayments(
                [new PayPalCapture("3C679366HH908993F", "PARTIALLY_REFUNDED", null, new PayPalAmount("EUR", "29.00"), "pay_1", "pay_1", null)],
                [
                    new PayPalRefund("1JU08902781691411", "COMPLETED", null, new PayPalAmount("EUR", "5.00"), null, null, null, null),
                    new PayPalRefund("2JU08902781691411", "PENDING", null, new PayPalAmount("EUR", "7.00"), null, null, null, null),
                    new PayPalRefund("3JU08902781691411", "COMPLETED", null, new PayPalAmount("EUR", "1.50"), null, null, null, null),
                ])),
        ], null);

        var payment = PayPalMapper.ToPayment(order, "5O190127TN364715T");

        Assert.Equal(ProviderPaymentStatus.Succeeded, payment.Status);
        Assert.Equal(Money.Of(2900, "EUR"), payment.Amount);
        Assert.Equal(Money.Of(650, "EUR"), payment.RefundedTotal);
        Assert.Equal(("3C679366HH908993F", "pay_1"), (payment.ProviderReference, payment.PaymentId));
    }

    [Fact]
    public void An_approved_order_without_a_capture_is_still_open()
    {
        var order = new PayPalOrder("5O190127TN364715T", "APPROVED",
            [new PayPalPurchaseUnit("pay_1", null, new PayPalAmount("JPY", "1900"), null)], null);
        var payment = PayPalMapper.ToPayment(order, "5O190127TN364715T");
        Assert.Equal((ProviderPaymentStatus.Pending, (string?)null, "pay_1"), (payment.Status, payment.ProviderReference, payment.PaymentId));
    }

    [Theory]
    [InlineData("https://api-m.paypal.com/v2/payments/captures/3C679366HH908993F", "3C679366HH908993F")]
    [InlineData("https://api-m.paypal.com/v2/payments/captures/3C679366HH908993F/", "3C679366HH908993F")]
    [InlineData("https://api-m.paypal.com/v2/payments/captures/../x", null)]
    [InlineData("not a url", null)]
    public void A_refund_names_its_capture_in_the_up_link(string href, string? expected) =>
        Assert.Equal(expected, PayPalMapper.CaptureIdOf(
            new PayPalRefund("1JU08902781691411", "COMPLETED", null, null, null, null, null, [new PayPalLink(href, "up", "GET")])));

    [Theory]
    [InlineData("5O190127TN364715T", true)]
    [InlineData("8PT597110X687430LKGECATA", false)] // a v1 payment token, not an order
    [InlineData("5o190127tn364715t", false)]
    [InlineData("pay_01jd8x0000000000000000000", false)]
    [InlineData("dm_01jd8x0000000000000000000", false)]
    [InlineData("cs_test_a1B2c3", false)]
    [InlineData("", false)]
    public void Order_ids_are_recognised_by_their_shape(string id, bool owned) =>
        Assert.Equal(owned, PayPalIds.IsOrderId(id));
}
