using Payments.Core.Providers;

namespace Payments.Core.Payments;

/// <summary>
/// From "what the provider said" to "what we decide", once, for every path the news arrives by
/// (a webhook, a verify, a capture, the reconciliation worker): a <see cref="ProviderEvent"/>
/// becomes <see cref="Observation"/>s, each is decided by <see cref="Settlement"/> on the state the
/// ones before it leave, and one decision is reported. Pure functions, no I/O.
/// </summary>
public static class PaymentNews
{
    public static Observation ToObservation(ProviderEvent e) => new(e.Kind, e.Amount, e.RefundedTotal, e.FailureReason);

    /// <summary>
    /// A refund report that says what its charge took also proves the payment: Stripe does not order
    /// deliveries, so <c>charge.refunded</c> can arrive before <c>checkout.session.completed</c>. The
    /// success is decided first (same exact-amount rule; a no-op for a paid payment), then the refund.
    /// </summary>
    public static IReadOnlyList<Observation> ObservationsOf(ProviderEvent e) =>
        e is { Kind: ProviderEventKind.Refunded, Amount: { } charged }
            ? [new Observation(ProviderEventKind.PaymentSucceeded, charged), ToObservation(e)]
            : [ToObservation(e)];

    /// <summary>
    /// What the provider answered when asked (verify, capture, the reconciliation worker), as
    /// observations: a success with its amount, then its cumulative refunded total when there is one
    /// (so a lost refund webhook is healed too); "unknown" says nothing and changes nothing.
    /// </summary>
    public static IReadOnlyList<Observation> ObservationsOf(ProviderPayment answer) => answer.Status switch
    {
        ProviderPaymentStatus.Unknown => [],
        ProviderPaymentStatus.Succeeded when answer.RefundedTotal is { IsPositive: true } refunded =>
            [new(ProviderEventKind.PaymentSucceeded, answer.Amount), new(ProviderEventKind.Refunded, RefundedTotal: refunded)],
        ProviderPaymentStatus.Succeeded => [new(ProviderEventKind.PaymentSucceeded, answer.Amount)],
        ProviderPaymentStatus.Declined => [new(ProviderEventKind.PaymentFailed, FailureReason: answer.FailureMessage ?? answer.FailureCode)],
        var status => [new(status.AsEventKind())],
    };

    /// <summary>Decides each observation on the state the ones before it leave.</summary>
    public static List<SettlementDecision> DecideInOrder(PaymentSnapshot snapshot, IReadOnlyList<Observation> observations)
    {
        var decisions = new List<SettlementDecision>(observations.Count);
        foreach (var observation in observations)
        {
            var decision = Settlement.Decide(snapshot, observation);
            decisions.Add(decision);
            if (decision.Changes) snapshot = snapshot with { Status = decision.Status, RefundedMinor = decision.RefundedMinor };
        }
        return decisions;
    }

    /// <summary>
    /// Which of several decisions is reported: a conflict above all (so "paid a different amount, then
    /// refunded" still answers 409, not the refusal after it), then a change, then a refusal.
    /// </summary>
    public static SettlementDecision? Reported(IEnumerable<SettlementDecision> decisions) => decisions.MaxBy(d => Rank(d.Outcome));

    public static int Rank(SettlementOutcome outcome) => outcome switch
    {
        SettlementOutcome.Conflict => 4,
        SettlementOutcome.Applied => 3,
        SettlementOutcome.Stale => 2,
        SettlementOutcome.NoChange => 1,
        _ => 0,
    };

    public static DeliveryOutcome OutcomeOf(SettlementDecision decision) => decision.Outcome switch
    {
        SettlementOutcome.Applied => DeliveryOutcome.Applied,
        SettlementOutcome.NoChange => DeliveryOutcome.NoChange,
        SettlementOutcome.Stale => DeliveryOutcome.Stale,
        SettlementOutcome.Conflict => DeliveryOutcome.Conflict,
        _ => DeliveryOutcome.Informational,
    };
}
