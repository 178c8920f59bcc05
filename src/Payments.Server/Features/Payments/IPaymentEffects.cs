using Payments.Core.Payments;
using Payments.Server.Data;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Payments;

/// <summary>
/// Work that must happen together with a change to a payment, or not at all (credits granted when
/// it succeeds, taken back when it is refunded). Every settlement path — webhooks, verify, captures
/// and refunds — calls each registered effect for every decision that changes a payment, inside its
/// open write transaction, after the decision is written to the payment and before
/// the commit. The payment row is locked for the whole call.
/// <para>
/// Add rows to the given context and let the caller save them: do not call SaveChanges or
/// commit. An exception rolls the whole settlement back (the payment keeps its old state and a
/// webhook is not recorded, so the provider's retry applies it again); so does a UNIQUE index
/// refusing an effect's row, which is how an effect makes itself exactly-once.
/// </para>
/// </summary>
public interface IPaymentEffects
{
    /// <param name="decision">What settlement decided; <see cref="SettlementDecision.Changes"/> is true.</param>
    Task ApplyAsync(PaymentsDb db, Payment payment, SettlementDecision decision, DateTimeOffset now, CancellationToken ct);
}
