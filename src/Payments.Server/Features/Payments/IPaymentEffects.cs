using Payments.Core.Payments;
using Payments.Server.Data;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Payments;

/// <summary>
/// Something else that must happen, in the same transaction, when a decision changes a payment
/// (credits granted on a success, taken back on a refund, …). Registered in DI; none by default.
/// <para>
/// For webhooks it runs inside the delivery's own savepoint in the batch transaction, once per decision
/// that changes the payment: after the decisions are applied to the payment in memory and the
/// delivery's event and audit rows are inserted (so never for a duplicate), before the payment row is
/// written.
/// Rows it adds to the context are saved right after it returns; if it throws (or they cannot
/// be saved), that delivery alone is rolled back and fails, and the rest of the batch commits.
/// </para>
/// </summary>
public interface IPaymentEffects
{
    Task ApplyAsync(PaymentsDb db, Payment payment, SettlementDecision decision, DateTimeOffset now, CancellationToken ct);
}
