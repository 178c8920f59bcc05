using Microsoft.EntityFrameworkCore;
using Payments.Server.Data;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Payments.Refunds;

/// <summary>Settles refunds whose provider answer was lost, once the provider's total shows them.</summary>
public sealed class RefundReconciler(PaymentsDb db, PaymentSettler settler, TimeProvider clock)
{
    /// <summary>
    /// After verify learned the provider's refunded total: pending refunds (whose provider call ended
    /// without an answer) that the total accounts for are marked succeeded, oldest first. Refunds the
    /// total does not cover stay pending and keep their reservation.
    /// </summary>
    public async Task ReconcileAsync(string paymentId, CancellationToken ct)
    {
        if (!await db.Refunds.AnyAsync(r => r.PaymentId == paymentId && r.Status == Refund.Pending, ct)) return;
        await using var tx = await db.BeginWriteAsync(ct);
        var payment = (await settler.LockByIdAsync(paymentId, ct))!;
        var refunds = (await db.Refunds.Where(r => r.PaymentId == paymentId && r.Status != Refund.Failed).ToListAsync(ct))
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToList();
        var unexplained = payment.RefundedMinor - refunds.Where(r => r.Status == Refund.Succeeded).Sum(r => r.AmountMinor);
        var now = clock.GetUtcNow();
        foreach (var refund in refunds.Where(r => r.Status == Refund.Pending))
        {
            if (refund.AmountMinor > unexplained) break;
            unexplained -= refund.AmountMinor;
            refund.Status = Refund.Succeeded;
            refund.UpdatedAt = now;
            db.Add(now, "payment.refund_reconciled", "system:verify", paymentId,
                new { refund_id = refund.Id, amount = refund.AmountMinor, currency = refund.Currency });
            if (Outbox.HostEvents.ForRefund(refund, now) is { } news) db.Outbox.Add(news);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}
