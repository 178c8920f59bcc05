using Payments.Core.Money;
using Payments.Core.Providers;
using Payments.Providers.MobilePay;

namespace Payments.Providers.Tests.MobilePay;

/// <summary>Every ePayment state and event name Vipps documents, and ones it might add, in our words.</summary>
public class MobilePayMapperTests
{
    private static MobilePayAmount Nok(long value) => new("NOK", value);

    private static MobilePayAggregate Aggregate(long authorized = 0, long captured = 0, long refunded = 0, long cancelled = 0) =>
        new(Nok(authorized), Nok(captured), Nok(refunded), Nok(cancelled));

    public static TheoryData<string?, MobilePayAggregate?, ProviderPaymentStatus> States => new()
    {
        { "CREATED", Aggregate(), ProviderPaymentStatus.Pending },
        // Approved in the app: a reservation, not money.
        { "AUTHORIZED", Aggregate(authorized: 49900), ProviderPaymentStatus.Pending },
        { "AUTHORIZED", null, ProviderPaymentStatus.Pending },
        { "AUTHORIZED", Aggregate(authorized: 49900, captured: 49900), ProviderPaymentStatus.Succeeded },
        { "AUTHORIZED", Aggregate(authorized: 49900, captured: 49900, refunded: 49900), ProviderPaymentStatus.Succeeded },
        { "AUTHORIZED", Aggregate(authorized: 49900, cancelled: 49900), ProviderPaymentStatus.Canceled },
        { "ABORTED", Aggregate(), ProviderPaymentStatus.Canceled },
        { "EXPIRED", Aggregate(), ProviderPaymentStatus.Expired },
        { "TERMINATED", Aggregate(), ProviderPaymentStatus.Canceled },
        { "CAPTURED", Aggregate(authorized: 49900, captured: 49900), ProviderPaymentStatus.Unknown }, // not a state the API has
        { "authorized", Aggregate(authorized: 49900, captured: 49900), ProviderPaymentStatus.Unknown },
        { "SOMETHING_NEW", Aggregate(), ProviderPaymentStatus.Unknown },
        { null, null, ProviderPaymentStatus.Unknown },
    };

    [Theory]
    [MemberData(nameof(States))]
    public void A_payment_is_paid_only_when_the_aggregate_says_captured(string? state, MobilePayAggregate? aggregate, ProviderPaymentStatus expected) =>
        Assert.Equal(expected, MobilePayMapper.Status(state, aggregate));

    [Theory]
    [InlineData("CREATED", true, ProviderEventKind.Informational)]
    [InlineData("AUTHORIZED", true, ProviderEventKind.CaptureRequired)]
    [InlineData("CAPTURED", true, ProviderEventKind.PaymentSucceeded)]
    [InlineData("REFUNDED", true, ProviderEventKind.Refunded)]
    [InlineData("ABORTED", true, ProviderEventKind.PaymentCanceled)]
    [InlineData("EXPIRED", true, ProviderEventKind.PaymentExpired)]
    [InlineData("CANCELLED", true, ProviderEventKind.PaymentCanceled)]
    [InlineData("TERMINATED", true, ProviderEventKind.PaymentCanceled)]
    [InlineData("SOMETHING_NEW", true, ProviderEventKind.Informational)]
    [InlineData("AUTHORIZED", false, ProviderEventKind.Informational)]
    [InlineData("CAPTURED", false, ProviderEventKind.Informational)]
    [InlineData("REFUNDED", false, ProviderEventKind.Informational)]
    [InlineData("CANCELLED", false, ProviderEventKind.Informational)]
    public void Event_names_and_a_failed_operation_changes_nothing(string name, bool success, ProviderEventKind expected) =>
        Assert.Equal(expected, MobilePayMapper.EventKind(name, success));

    [Fact]
    public void Every_documented_event_name_has_its_event_type()
    {
        Assert.Equal(
            ["epayments.payment.created.v1", "epayments.payment.aborted.v1", "epayments.payment.expired.v1", "epayments.payment.cancelled.v1",
             "epayments.payment.captured.v1", "epayments.payment.refunded.v1", "epayments.payment.authorized.v1", "epayments.payment.terminated.v1"],
            MobilePayMapper.EventNames.Select(MobilePayMapper.EventType));
        // Every event we subscribe to but CREATED (the payment we just made) means something for a payment.
        Assert.All(MobilePayMapper.EventNames.Where(n => n != "CREATED"),
            name => Assert.NotEqual(ProviderEventKind.Informational, MobilePayMapper.EventKind(name, true)));
    }

    [Fact]
    public void A_captured_payment_is_paid_with_the_captured_amount_and_reports_its_cumulative_refunds()
    {
        var payment = new MobilePayPayment("mp-01jd8x0000000000000000000a", "AUTHORIZED", Nok(49900),
            Aggregate(authorized: 49900, captured: 49900, refunded: 10000), "psp-1", null);

        var mapped = MobilePayMapper.ToPayment(payment, "mp-01jd8x0000000000000000000a", "psp-capture");

        Assert.Equal(ProviderPaymentStatus.Succeeded, mapped.Status);
        Assert.Equal(Money.Of(49900, "NOK"), mapped.Amount);
        Assert.Equal(Money.Of(10000, "NOK"), mapped.RefundedTotal);
        Assert.Equal(("pay_01jd8x0000000000000000000a", "psp-capture"), (mapped.PaymentId, mapped.ProviderReference));
    }

    [Fact]
    public void An_authorized_payment_is_pending_with_its_amount_and_no_refunds()
    {
        var mapped = MobilePayMapper.ToPayment(new MobilePayPayment(null, "AUTHORIZED", Nok(49900), Aggregate(authorized: 49900), "psp-1", null), "mp-abcdefgh");
        Assert.Equal((ProviderPaymentStatus.Pending, Money.Of(49900, "NOK"), (Money?)null, "mp-abcdefgh"),
            (mapped.Status, mapped.Amount, mapped.RefundedTotal, mapped.ProviderPaymentId));
    }

    [Fact]
    public void What_remains_capturable_is_authorized_less_captured_and_cancelled()
    {
        Assert.Equal(Money.Of(49900, "NOK"), MobilePayMapper.Capturable(new(null, "AUTHORIZED", null, Aggregate(authorized: 49900), null, null)));
        Assert.Equal(Money.Of(29900, "NOK"), MobilePayMapper.Capturable(new(null, "AUTHORIZED", null, Aggregate(49900, captured: 20000), null, null)));
        Assert.Equal(Money.Of(0, "NOK"), MobilePayMapper.Capturable(new(null, "AUTHORIZED", null, Aggregate(49900, captured: 20000, cancelled: 29900), null, null)));
        Assert.Null(MobilePayMapper.Capturable(new(null, "AUTHORIZED", null, null, null, null)));
        Assert.Null(MobilePayMapper.Capturable(new(null, "AUTHORIZED", null, new(Nok(100), new("DKK", 50), Nok(0), Nok(0)), null, null)));
    }
}
