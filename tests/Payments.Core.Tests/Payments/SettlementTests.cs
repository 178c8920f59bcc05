using Payments.Core.Payments;
using Payments.Core.Providers;
using M = Payments.Core.Money.Money;

namespace Payments.Core.Tests.Payments;

public class SettlementTests
{
    private static readonly M Eur19 = M.Of(1900, "EUR");

    private static PaymentSnapshot At(PaymentStatus status, long refunded = 0) => new(status, Eur19, refunded);

    private static Observation Paid(M? amount) => new(ProviderEventKind.PaymentSucceeded, amount);

    [Fact]
    public void Exact_amount_and_currency_finalizes()
    {
        var d = Settlement.Decide(At(PaymentStatus.Pending), Paid(Eur19));
        Assert.Equal((SettlementOutcome.Applied, PaymentStatus.Succeeded, Settlement.FinalizeAction), (d.Outcome, d.Status, d.AuditAction));
    }

    [Theory]
    [InlineData(1899, "EUR")]
    [InlineData(1901, "EUR")]
    [InlineData(1900, "USD")]
    [InlineData(19, "EUR")]     // 19.00 written as major units by a buggy adapter
    [InlineData(1900, "JPY")]   // same digits, zero-decimal currency
    public void Any_other_amount_or_currency_conflicts(long minor, string currency)
    {
        var d = Settlement.Decide(At(PaymentStatus.Pending), Paid(M.Of(minor, currency)));
        Assert.Equal((SettlementOutcome.Conflict, PaymentStatus.Conflicted, Settlement.ConflictAction), (d.Outcome, d.Status, d.AuditAction));
        Assert.Contains("expected 19.00 EUR", d.Reason);
    }

    [Fact]
    public void Success_without_an_amount_cannot_be_checked_and_conflicts() =>
        Assert.Equal(SettlementOutcome.Conflict, Settlement.Decide(At(PaymentStatus.Pending), Paid(null)).Outcome);

    [Fact]
    public void A_second_success_changes_nothing()
    {
        var d = Settlement.Decide(At(PaymentStatus.Succeeded), Paid(Eur19));
        Assert.Equal((SettlementOutcome.NoChange, PaymentStatus.Succeeded, (string?)null), (d.Outcome, d.Status, d.AuditAction));
    }

    [Theory]
    [InlineData(ProviderEventKind.PaymentFailed)]
    [InlineData(ProviderEventKind.PaymentCanceled)]
    [InlineData(ProviderEventKind.PaymentExpired)]
    [InlineData(ProviderEventKind.PaymentPending)]
    public void A_late_event_after_success_is_stale_and_audited_not_applied(ProviderEventKind kind)
    {
        var d = Settlement.Decide(At(PaymentStatus.Succeeded), new Observation(kind));
        Assert.Equal((SettlementOutcome.Stale, PaymentStatus.Succeeded, Settlement.RejectedAction), (d.Outcome, d.Status, d.AuditAction));
        Assert.False(d.Changes);
    }

    [Fact]
    public void A_mismatching_success_for_a_paid_payment_does_not_unpay_it()
    {
        var d = Settlement.Decide(At(PaymentStatus.Succeeded), Paid(M.Of(1, "EUR")));
        Assert.Equal((SettlementOutcome.Stale, PaymentStatus.Succeeded), (d.Outcome, d.Status));
    }

    [Fact]
    public void Success_after_cancel_is_money_for_a_closed_payment_and_conflicts()
    {
        var d = Settlement.Decide(At(PaymentStatus.Canceled), Paid(Eur19));
        Assert.Equal((SettlementOutcome.Conflict, PaymentStatus.Conflicted), (d.Outcome, d.Status));
    }

    [Fact]
    public void Success_after_a_failed_attempt_is_accepted() =>
        Assert.Equal(PaymentStatus.Succeeded, Settlement.Decide(At(PaymentStatus.Failed), Paid(Eur19)).Status);

    [Fact]
    public void Refund_totals_are_cumulative_so_replays_and_old_events_change_nothing()
    {
        var partial = Settlement.Decide(At(PaymentStatus.Succeeded), new Observation(ProviderEventKind.Refunded, RefundedTotal: M.Of(500, "EUR")));
        Assert.Equal((SettlementOutcome.Applied, PaymentStatus.PartiallyRefunded, 500L), (partial.Outcome, partial.Status, partial.RefundedMinor));

        var older = Settlement.Decide(At(PaymentStatus.PartiallyRefunded, 800), new Observation(ProviderEventKind.Refunded, RefundedTotal: M.Of(500, "EUR")));
        Assert.Equal((SettlementOutcome.NoChange, 800L), (older.Outcome, older.RefundedMinor));

        var full = Settlement.Decide(At(PaymentStatus.PartiallyRefunded, 800), new Observation(ProviderEventKind.Refunded, RefundedTotal: Eur19));
        Assert.Equal((SettlementOutcome.Applied, PaymentStatus.Refunded, 1900L), (full.Outcome, full.Status, full.RefundedMinor));
    }

    [Theory]
    [InlineData(1901, "EUR")]
    [InlineData(100, "USD")]
    public void An_impossible_refund_report_is_refused_and_audited_without_unpaying(long minor, string currency)
    {
        var d = Settlement.Decide(At(PaymentStatus.Succeeded), new Observation(ProviderEventKind.Refunded, RefundedTotal: M.Of(minor, currency)));
        Assert.Equal((SettlementOutcome.Stale, PaymentStatus.Succeeded, 0L, Settlement.RejectedAction),
            (d.Outcome, d.Status, d.RefundedMinor, d.AuditAction));
    }

    [Fact]
    public void A_refund_reported_without_a_total_is_refused_and_audited_without_unpaying()
    {
        var d = Settlement.Decide(At(PaymentStatus.PartiallyRefunded, 500), new Observation(ProviderEventKind.Refunded, RefundedTotal: null));
        Assert.Equal((SettlementOutcome.Stale, PaymentStatus.PartiallyRefunded, 500L, Settlement.RejectedAction),
            (d.Outcome, d.Status, d.RefundedMinor, d.AuditAction));
        Assert.Contains("no amount", d.Reason);
    }

    [Fact]
    public void A_refund_of_an_unpaid_payment_is_stale() =>
        Assert.Equal(SettlementOutcome.Stale,
            Settlement.Decide(At(PaymentStatus.Pending), new Observation(ProviderEventKind.Refunded, RefundedTotal: M.Of(100, "EUR"))).Outcome);

    [Fact]
    public void Informational_events_change_nothing() =>
        Assert.Equal(SettlementOutcome.Informational,
            Settlement.Decide(At(PaymentStatus.Pending), new Observation(ProviderEventKind.Informational)).Outcome);
}
