using Microsoft.EntityFrameworkCore;
using Payments.Core;
using Payments.Core.Payments;
using Payments.Server.Data;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Payments.Refunds;

/// <summary>
/// Gives every refunded cent its refund row: when a decision raises a payment's refunded total (a
/// <c>charge.refunded</c> webhook, verify, the reconciliation worker or our own refund), the part of
/// the new total that this payment's <c>pending</c> and <c>succeeded</c> refund rows do not cover was
/// refunded outside our API (the provider's dashboard) and is recorded as a <c>succeeded</c> refund
/// requested by <c>provider:&lt;name&gt;</c>, with a <see cref="RecordedAction"/> audit row.
/// <para>
/// Pending rows count as covering: a refund of ours whose provider answer has not been recorded yet
/// (its webhook can arrive first) is not counted twice, and the reconciler later settles it from the
/// same total. Exactly once because it runs under the payment's row lock and compares cumulative
/// totals: a repeated report finds its amount covered.
/// </para>
/// </summary>
public sealed class OutsideRefunds : IPaymentEffects
{
    public const string RecordedAction = "payment.refund_recorded";

    /// <summary>Only decisions that move the refunded total (they carry the refund audit action).</summary>
    public bool AppliesTo(Payment payment, SettlementDecision decision) =>
        decision.Outcome == SettlementOutcome.Applied && decision.AuditAction == Settlement.RefundAction && decision.RefundedMinor > 0;

    public Task ApplyAsync(PaymentsDb db, Payment payment, SettlementDecision decision, DateTimeOffset now, CancellationToken ct) =>
        AppliesTo(payment, decision) ? RecordUncoveredAsync(db, payment, decision.RefundedMinor, now, ct) : Task.CompletedTask;

    /// <summary>
    /// Adds (without saving) a succeeded refund row for the part of <paramref name="refundedTotal"/> that the
    /// payment's pending and succeeded refunds do not cover, if any. The caller holds the payment's row lock.
    /// </summary>
    public static async Task RecordUncoveredAsync(PaymentsDb db, Payment payment, long refundedTotal, DateTimeOffset now, CancellationToken ct)
    {
        var covered = await CoveredAsync(db, payment.Id, ct);
        var uncovered = refundedTotal - covered;
        if (uncovered <= 0) return;

        var actor = $"provider:{payment.Provider}";
        var refund = new Refund
        {
            Id = Ids.New("re", now), PaymentId = payment.Id, AmountMinor = uncovered, Currency = payment.Currency, Status = Refund.Succeeded,
            Reason = "refunded at the provider", RequestedBy = actor, CreatedAt = now, UpdatedAt = now,
        };
        db.Refunds.Add(refund);
        db.Add(now, RecordedAction, actor, payment.Id, new
        {
            refund_id = refund.Id, amount = uncovered, currency = payment.Currency, refunded = refundedTotal, covered,
        });
    }

    /// <summary>
    /// What this payment's pending and succeeded refunds add up to, as this unit of work sees them: the
    /// stored rows, with the status of any row this context has changed but not saved yet (the refund
    /// being recorded as failed, say), and the rows it has added.
    /// </summary>
    private static async Task<long> CoveredAsync(PaymentsDb db, string paymentId, CancellationToken ct)
    {
        var stored = await db.Refunds.AsNoTracking().Where(r => r.PaymentId == paymentId)
            .Select(r => new { r.Id, r.Status, r.AmountMinor }).ToListAsync(ct);
        var tracked = db.ChangeTracker.Entries<Refund>().Where(e => e.Entity.PaymentId == paymentId && e.State != EntityState.Detached)
            .ToDictionary(e => e.Entity.Id, e => e);
        long covered = 0;
        foreach (var row in stored)
        {
            tracked.TryGetValue(row.Id, out var entry);
            if (entry?.State == EntityState.Deleted) continue;
            if ((entry?.Entity.Status ?? row.Status) != Refund.Failed) covered += row.AmountMinor;
        }
        covered += tracked.Values.Where(e => e.State == EntityState.Added && e.Entity.Status != Refund.Failed).Sum(e => e.Entity.AmountMinor);
        return covered;
    }
}
