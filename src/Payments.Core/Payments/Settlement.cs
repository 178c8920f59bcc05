using Payments.Core.Providers;

namespace Payments.Core.Payments;

/// <summary>The parts of a stored payment that settlement rules look at.</summary>
public sealed record PaymentSnapshot(PaymentStatus Status, Money.Money Amount, long RefundedMinor);

/// <summary>Something a provider told us about a payment, by webhook or when asked (verify).</summary>
/// <param name="Amount">For successes: what the provider says it charged.</param>
/// <param name="RefundedTotal">For refunds: the cumulative refunded amount, so replays are harmless.</param>
public sealed record Observation(
    ProviderEventKind Kind,
    Money.Money? Amount = null,
    Money.Money? RefundedTotal = null,
    string? FailureReason = null);

public enum SettlementOutcome
{
    /// <summary>The payment changes; write it with its audit row.</summary>
    Applied,
    /// <summary>Already in that state (a second success in another envelope).</summary>
    NoChange,
    /// <summary>Not allowed (late, backwards, or impossible); recorded and audited, not applied.</summary>
    Stale,
    /// <summary>The payment becomes <see cref="PaymentStatus.Conflicted"/>: money that does not match.</summary>
    Conflict,
    /// <summary>Nothing to apply (informational event types).</summary>
    Informational,
}

/// <summary>What settlement decided: the resulting state and the audit action to write.</summary>
public sealed record SettlementDecision(
    SettlementOutcome Outcome,
    PaymentStatus Status,
    long RefundedMinor,
    string? AuditAction,
    string? Reason)
{
    public bool Changes => Outcome is SettlementOutcome.Applied or SettlementOutcome.Conflict;
}

/// <summary>
/// The rules that turn a provider's word into our state. A pure function: the same snapshot and
/// observation always give the same decision, whichever way (webhook, verify) the news arrived.
/// Money is compared exactly, in minor units and currency; nothing is rounded.
/// </summary>
public static class Settlement
{
    public const string FinalizeAction = "payment.finalize";
    public const string ConflictAction = "payment.conflict";
    public const string StatusAction = "payment.status";
    public const string RefundAction = "payment.refund";
    public const string RejectedAction = "payment.transition_rejected";

    public static SettlementDecision Decide(PaymentSnapshot payment, Observation observation) =>
        observation.Kind switch
        {
            ProviderEventKind.PaymentSucceeded => DecideSuccess(payment, observation.Amount),
            ProviderEventKind.PaymentPending => Move(payment, PaymentStatus.Pending, StatusAction, null),
            ProviderEventKind.PaymentFailed => Move(payment, PaymentStatus.Failed, StatusAction, observation.FailureReason),
            ProviderEventKind.PaymentCanceled => Move(payment, PaymentStatus.Canceled, StatusAction, observation.FailureReason),
            ProviderEventKind.PaymentExpired => Move(payment, PaymentStatus.Expired, StatusAction, null),
            ProviderEventKind.Refunded => DecideRefund(payment, observation.RefundedTotal),
            _ => new SettlementDecision(SettlementOutcome.Informational, payment.Status, payment.RefundedMinor, null, null),
        };

    private static SettlementDecision DecideSuccess(PaymentSnapshot payment, Money.Money? reported)
    {
        if (reported is not { } amount || amount != payment.Amount)
        {
            var reason = reported is null
                ? $"provider reported success without an amount; expected {payment.Amount}"
                : $"provider reported {reported}; expected {payment.Amount}";
            return Move(payment, PaymentStatus.Conflicted, ConflictAction, reason);
        }
        return Move(payment, PaymentStatus.Succeeded, FinalizeAction, null);
    }

    private static SettlementDecision DecideRefund(PaymentSnapshot payment, Money.Money? total)
    {
        // An impossible refund report (other currency, more than was paid) is refused and audited; it
        // does not unpay the payment. An operator reads the audit row and reconciles.
        if (total is not { } refunded || refunded.Currency != payment.Amount.Currency)
            return Refuse(payment, $"refund reported as {total?.ToString() ?? "no amount"} for a {payment.Amount} payment");
        if (refunded.Minor <= payment.RefundedMinor)
            // Cumulative totals make an older or repeated refund event harmless.
            return new SettlementDecision(SettlementOutcome.NoChange, payment.Status, payment.RefundedMinor, null, null);
        if (refunded > payment.Amount)
            return Refuse(payment, $"provider reports {refunded} refunded of a {payment.Amount} payment");

        var target = refunded == payment.Amount ? PaymentStatus.Refunded : PaymentStatus.PartiallyRefunded;
        var decision = Move(payment, target, RefundAction, null);
        return decision.Outcome == SettlementOutcome.Applied ? decision with { RefundedMinor = refunded.Minor } : decision;
    }

    private static SettlementDecision Refuse(PaymentSnapshot payment, string reason) =>
        new(SettlementOutcome.Stale, payment.Status, payment.RefundedMinor, RejectedAction, reason);

    private static SettlementDecision Move(PaymentSnapshot payment, PaymentStatus target, string action, string? reason) =>
        PaymentStateMachine.Decide(payment.Status, target) switch
        {
            TransitionVerdict.Apply when target == PaymentStatus.Conflicted =>
                new(SettlementOutcome.Conflict, target, payment.RefundedMinor, action, reason),
            TransitionVerdict.Apply => new(SettlementOutcome.Applied, target, payment.RefundedMinor, action, reason),
            TransitionVerdict.AlreadyThere => new(SettlementOutcome.NoChange, payment.Status, payment.RefundedMinor, null, null),
            TransitionVerdict.Conflict => new(SettlementOutcome.Conflict, PaymentStatus.Conflicted, payment.RefundedMinor, ConflictAction,
                $"provider reports {target.ToWire()} for a payment that is {payment.Status.ToWire()}"),
            _ => new(SettlementOutcome.Stale, payment.Status, payment.RefundedMinor, RejectedAction,
                $"{payment.Status.ToWire()} → {target.ToWire()} is not allowed" + (reason is null ? "" : $" ({reason})")),
        };
}
