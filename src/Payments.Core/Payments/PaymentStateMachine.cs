namespace Payments.Core.Payments;

/// <summary>What to do with a requested move from one status to another.</summary>
public enum TransitionVerdict
{
    /// <summary>Legal and new: write it.</summary>
    Apply,
    /// <summary>Already there (a second success for a succeeded payment): nothing to write.</summary>
    AlreadyThere,
    /// <summary>Would move the payment backwards (failed after succeeded, pending after failed):
    /// a late or out-of-order event. Recorded and audited, never applied.</summary>
    Stale,
    /// <summary>Money arrived for a payment we had closed (canceled, expired): the payment goes to
    /// <see cref="PaymentStatus.Conflicted"/> instead, so an operator looks at it.</summary>
    Conflict,
}

/// <summary>
/// Every legal status change, in one place. Providers deliver events late, twice and out of
/// order; this table is what keeps the state from moving backwards.
/// <code>
/// created ─► pending ─► succeeded ─► partially_refunded ─► refunded
///   │          ├─► failed ──► succeeded (a retried attempt that went through)
///   │          ├─► canceled │ expired     (success after these ─► conflicted)
///   └──────────┴─► conflicted (amount or currency differ)
/// </code>
/// </summary>
public static class PaymentStateMachine
{
    public static TransitionVerdict Decide(PaymentStatus from, PaymentStatus to)
    {
        if (from == to)
            // More refund on a partially refunded payment is a real change; the caller compares amounts.
            return from == PaymentStatus.PartiallyRefunded ? TransitionVerdict.Apply : TransitionVerdict.AlreadyThere;

        return (from, to) switch
        {
            (PaymentStatus.Created, _) when to is not (PaymentStatus.PartiallyRefunded or PaymentStatus.Refunded)
                => TransitionVerdict.Apply,

            (PaymentStatus.Pending, PaymentStatus.Succeeded or PaymentStatus.Failed or PaymentStatus.Canceled
                or PaymentStatus.Expired or PaymentStatus.Conflicted) => TransitionVerdict.Apply,

            // A failed attempt is not the end of a Stripe PaymentIntent or a PayPal order: the
            // customer may retry and pay. Refusing that success would lose real money.
            (PaymentStatus.Failed, PaymentStatus.Succeeded or PaymentStatus.Canceled or PaymentStatus.Expired
                or PaymentStatus.Conflicted) => TransitionVerdict.Apply,

            // Money for a payment we had given up on: never silently accept or drop it.
            (PaymentStatus.Canceled or PaymentStatus.Expired, PaymentStatus.Succeeded) => TransitionVerdict.Conflict,
            (PaymentStatus.Canceled or PaymentStatus.Expired, PaymentStatus.Conflicted) => TransitionVerdict.Apply,

            (PaymentStatus.Succeeded, PaymentStatus.PartiallyRefunded or PaymentStatus.Refunded) => TransitionVerdict.Apply,
            (PaymentStatus.PartiallyRefunded, PaymentStatus.Refunded) => TransitionVerdict.Apply,

            // A second success for a paid payment is a duplicate in another envelope.
            (PaymentStatus.PartiallyRefunded or PaymentStatus.Refunded, PaymentStatus.Succeeded) => TransitionVerdict.AlreadyThere,

            _ => TransitionVerdict.Stale,
        };
    }

    public static bool CanMove(PaymentStatus from, PaymentStatus to) => Decide(from, to) == TransitionVerdict.Apply;
}
