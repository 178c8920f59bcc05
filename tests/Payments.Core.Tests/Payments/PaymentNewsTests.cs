using Payments.Core.Money;
using M = Payments.Core.Money.Money;
using Payments.Core.Payments;
using Payments.Core.Providers;

namespace Payments.Core.Tests.Payments;

/// <summary>From what a provider said (a webhook event, or an answer when asked) to what settlement decides.</summary>
public sealed class PaymentNewsTests
{
    private static readonly M Paid = new(1900, Currency.EUR);

    [Theory]
    [InlineData(ProviderPaymentStatus.Pending, ProviderEventKind.PaymentPending)]
    [InlineData(ProviderPaymentStatus.Canceled, ProviderEventKind.PaymentCanceled)]
    [InlineData(ProviderPaymentStatus.Expired, ProviderEventKind.PaymentExpired)]
    [InlineData(ProviderPaymentStatus.Declined, ProviderEventKind.PaymentFailed)]
    [InlineData(ProviderPaymentStatus.Succeeded, ProviderEventKind.PaymentSucceeded)]
    public void An_answer_is_one_observation_of_the_kind_its_status_amounts_to(ProviderPaymentStatus status, ProviderEventKind kind)
    {
        var observed = PaymentNews.ObservationsOf(new ProviderPayment("x", status, Paid, FailureCode: "card_declined"));
        var only = Assert.Single(observed);
        Assert.Equal(kind, only.Kind);
        Assert.Equal(status == ProviderPaymentStatus.Succeeded ? Paid : null, only.Amount);
        Assert.Equal(status == ProviderPaymentStatus.Declined ? "card_declined" : null, only.FailureReason);
    }

    [Fact]
    public void Every_status_is_mapped_and_unknown_says_nothing()
    {
        foreach (var status in Enum.GetValues<ProviderPaymentStatus>())
            Assert.Equal(status == ProviderPaymentStatus.Unknown, PaymentNews.ObservationsOf(new ProviderPayment("x", status, Paid)).Count == 0);
    }

    [Fact]
    public void A_paid_answer_with_refunds_is_the_success_then_the_cumulative_refund()
    {
        var observed = PaymentNews.ObservationsOf(new ProviderPayment("x", ProviderPaymentStatus.Succeeded, Paid, new M(500, Currency.EUR)));
        Assert.Equal([ProviderEventKind.PaymentSucceeded, ProviderEventKind.Refunded], observed.Select(o => o.Kind));
        Assert.Equal(new M(500, Currency.EUR), observed[1].RefundedTotal);
    }

    [Fact]
    public void A_refund_event_that_says_what_its_charge_took_proves_the_payment_first()
    {
        var refund = new ProviderEvent("evt", "charge.refunded", ProviderEventKind.Refunded, Amount: Paid, RefundedTotal: Paid);
        var decisions = PaymentNews.DecideInOrder(new PaymentSnapshot(PaymentStatus.Pending, Paid, 0), PaymentNews.ObservationsOf(refund));
        Assert.Equal([PaymentStatus.Succeeded, PaymentStatus.Refunded], decisions.Select(d => d.Status));
        Assert.Equal(SettlementOutcome.Applied, PaymentNews.Reported(decisions)!.Outcome);
    }

    [Fact]
    public void A_conflict_is_reported_above_what_follows_it()
    {
        var wrong = new ProviderEvent("evt", "charge.refunded", ProviderEventKind.Refunded, Amount: new M(100, Currency.EUR), RefundedTotal: Paid);
        var decisions = PaymentNews.DecideInOrder(new PaymentSnapshot(PaymentStatus.Pending, Paid, 0), PaymentNews.ObservationsOf(wrong));
        var reported = PaymentNews.Reported(decisions)!;
        Assert.Equal(SettlementOutcome.Conflict, reported.Outcome);
        Assert.Equal(DeliveryOutcome.Conflict, PaymentNews.OutcomeOf(reported));
    }
}
