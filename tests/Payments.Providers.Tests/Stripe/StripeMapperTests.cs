using Payments.Core.Providers;
using Payments.Providers.Stripe;
using Sdk = global::Stripe;

namespace Payments.Providers.Tests.Stripe;

/// <summary>Every status and event type Stripe documents, and what each means here.</summary>
public class StripeMapperTests
{
    [Theory]
    [InlineData("requires_payment_method", false, ProviderPaymentStatus.Pending)]
    [InlineData("requires_payment_method", true, ProviderPaymentStatus.Declined)]
    [InlineData("requires_confirmation", false, ProviderPaymentStatus.Pending)]
    [InlineData("requires_action", false, ProviderPaymentStatus.Pending)]
    [InlineData("processing", false, ProviderPaymentStatus.Pending)]
    [InlineData("requires_capture", false, ProviderPaymentStatus.Pending)]
    [InlineData("canceled", false, ProviderPaymentStatus.Canceled)]
    [InlineData("succeeded", false, ProviderPaymentStatus.Succeeded)]
    [InlineData("some_future_status", false, ProviderPaymentStatus.Unknown)]
    [InlineData(null, false, ProviderPaymentStatus.Unknown)]
    public void PaymentIntent_statuses(string? status, bool hasPaymentError, ProviderPaymentStatus expected) =>
        Assert.Equal(expected, StripeMapper.IntentStatus(status, hasPaymentError));

    [Theory]
    [InlineData("open", "unpaid", null, ProviderPaymentStatus.Pending)]
    [InlineData("open", "unpaid", "requires_payment_method+error", ProviderPaymentStatus.Pending)] // declined inside Checkout: may retry
    [InlineData("complete", "paid", "succeeded", ProviderPaymentStatus.Succeeded)]
    [InlineData("complete", "no_payment_required", null, ProviderPaymentStatus.Succeeded)]
    [InlineData("complete", "unpaid", null, ProviderPaymentStatus.Pending)]
    [InlineData("complete", "unpaid", "processing", ProviderPaymentStatus.Pending)]
    [InlineData("complete", "unpaid", "requires_payment_method+error", ProviderPaymentStatus.Declined)] // async method failed
    [InlineData("complete", "unpaid", "canceled", ProviderPaymentStatus.Declined)]
    [InlineData("complete", "unpaid", "succeeded", ProviderPaymentStatus.Succeeded)]
    [InlineData("expired", "unpaid", null, ProviderPaymentStatus.Expired)]
    [InlineData("something_new", "paid", null, ProviderPaymentStatus.Unknown)]
    public void Checkout_Session_statuses(string status, string paymentStatus, string? intentStatus, ProviderPaymentStatus expected)
    {
        ProviderPaymentStatus? intent = intentStatus is null
            ? null
            : StripeMapper.IntentStatus(intentStatus.Split('+')[0], hasPaymentError: intentStatus.EndsWith("+error", StringComparison.Ordinal));
        Assert.Equal(expected, StripeMapper.SessionStatus(status, paymentStatus, intent));
    }

    [Theory]
    [InlineData("succeeded", RefundStatus.Succeeded)]
    [InlineData("pending", RefundStatus.Pending)]
    [InlineData("requires_action", RefundStatus.Pending)]
    [InlineData("failed", RefundStatus.Failed)]
    [InlineData("canceled", RefundStatus.Failed)]
    [InlineData("unheard_of", RefundStatus.Pending)]
    public void Refund_statuses(string status, RefundStatus expected) => Assert.Equal(expected, StripeMapper.RefundStatus(status));

    [Theory]
    [InlineData("checkout.session.completed", "paid", ProviderEventKind.PaymentSucceeded)]
    [InlineData("checkout.session.completed", "no_payment_required", ProviderEventKind.PaymentSucceeded)]
    [InlineData("checkout.session.completed", "unpaid", ProviderEventKind.PaymentPending)]
    [InlineData("checkout.session.async_payment_succeeded", "paid", ProviderEventKind.PaymentSucceeded)]
    [InlineData("checkout.session.async_payment_failed", "unpaid", ProviderEventKind.PaymentFailed)]
    [InlineData("checkout.session.expired", "unpaid", ProviderEventKind.PaymentExpired)]
    [InlineData("payment_intent.succeeded", null, ProviderEventKind.PaymentSucceeded)]
    [InlineData("payment_intent.payment_failed", null, ProviderEventKind.PaymentFailed)]
    [InlineData("payment_intent.canceled", null, ProviderEventKind.PaymentCanceled)]
    [InlineData("charge.refunded", null, ProviderEventKind.Refunded)]
    [InlineData("charge.succeeded", null, ProviderEventKind.Informational)]
    [InlineData("payment_intent.created", null, ProviderEventKind.Informational)]
    [InlineData("customer.created", null, ProviderEventKind.Informational)]
    public void Event_types(string type, string? paymentStatus, ProviderEventKind expected) =>
        Assert.Equal(expected, StripeMapper.EventKind(type, paymentStatus));

    [Fact]
    public void Every_handled_event_type_means_something()
    {
        foreach (var type in StripeMapper.HandledEventTypes)
            Assert.NotEqual(ProviderEventKind.Informational, StripeMapper.EventKind(type, "paid"));
    }

    [Theory]
    [InlineData("card_error", "card_declined", true)]
    [InlineData("invalid_request_error", "charge_already_refunded", true)]
    [InlineData("invalid_request_error", "amount_too_large", true)]
    [InlineData("invalid_request_error", "charge_disputed", true)]
    [InlineData("invalid_request_error", "parameter_unknown", false)]
    [InlineData("invalid_request_error", null, false)]
    public void Refund_refusals_about_money_are_results_other_errors_are_not(string type, string? code, bool refusal) =>
        Assert.Equal(refusal, StripeMapper.IsRefundRefusal(new Sdk.StripeError { Type = type, Code = code }));
}
