using Payments.Core.Payments;
using Payments.Server.Data;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Payments;

/// <summary>
/// Work that must happen together with a change to a payment, or not at all (credits granted when
/// it succeeds, taken back when it is refunded). Every settlement path — webhooks, verify, captures
/// and refunds — calls each registered effect for every decision that changes a payment, inside its
/// open write transaction, before the commit. The payment row is locked for the whole call.
/// <para>
/// Add rows to the given context and let the caller save them: do not call SaveChanges or
/// commit. An exception rolls the settlement back (the payment keeps its old state and a webhook is
/// not recorded, so the provider's retry applies it again); so does a UNIQUE index refusing an
/// effect's row, which is how an effect makes itself exactly-once.
/// </para>
/// <para>
/// Webhooks are applied in batches (<see cref="Webhooks.WebhookBatcher"/>): there an effect runs inside
/// its delivery's own savepoint, after that delivery's event and audit rows are inserted (so never for
/// a duplicate) and before the payment row is written; its rows are saved right after it returns, and
/// if it throws (or they cannot be saved) that delivery alone is rolled back and fails while the rest
/// of the batch commits.
/// </para>
/// </summary>
public interface IPaymentEffects
{
    /// <summary>
    /// Whether <see cref="ApplyAsync"/> has anything to do for this decision, decided from the payment
    /// row alone (no queries). The webhook batch sends a delivery's writes ahead of the others and runs
    /// the effect only when this is true, so an effect that concerns few payments must say so here:
    /// answering true for every payment costs each webhook its own round trips.
    /// </summary>
    bool AppliesTo(Payment payment, SettlementDecision decision);

    /// <param name="decision">What settlement decided; <see cref="SettlementDecision.Changes"/> is true.</param>
    Task ApplyAsync(PaymentsDb db, Payment payment, SettlementDecision decision, DateTimeOffset now, CancellationToken ct);
}
