using Microsoft.EntityFrameworkCore;
using Payments.Core;
using Payments.Core.Errors;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Payments.Refunds;

/// <summary>
/// Refunds in three steps, so that the sum of refunds can never pass what was paid:
/// <list type="number">
/// <item>reserve: under the payment's row lock, check what is still refundable (paid minus every
/// pending or succeeded refund, and minus anything the provider already reports refunded) and
/// insert the refund as <c>pending</c>;</item>
/// <item>ask the provider, with our refund id as its idempotency key;</item>
/// <item>record the answer and, on success, move the payment through the same settlement rules a
/// <c>charge.refunded</c> webhook uses (cumulative totals, so both paths agree).</item>
/// </list>
/// If the provider cannot be reached the refund stays <c>pending</c> and keeps its reservation:
/// a second attempt cannot refund the same money again. Verify reconciles it with the provider.
/// </summary>
public sealed class RefundService(PaymentsDb db, PaymentSettler settler, ProviderRegistry providers, TimeProvider clock, ILogger<RefundService> log)
{
    /// <param name="expectedRefundable">What the caller saw as still refundable (the dashboard's form carries it):
    /// when it no longer holds, the refund is refused, so a form sent twice refunds once.</param>
    public async Task<(Refund Refund, Payment Payment)> RefundAsync(
        string paymentId, long? amountMinor, string? reason, string actor, CancellationToken ct, long? expectedRefundable = null)
    {
        if (amountMinor is <= 0) throw PaymentsException.Validation("'amount' must be a positive number of minor units, or left out for the whole remaining amount.");
        var (refund, payment) = await ReserveAsync(paymentId, amountMinor, reason, actor, expectedRefundable, ct);
        var provider = providers.Get(payment.Provider);

        RefundResult result;
        try
        {
            result = await provider.RefundAsync(new RefundRequest(
                payment.Id, payment.ProviderPaymentId!, payment.ProviderReference,
                new Core.Money.Money(refund.AmountMinor, payment.Amount.Currency), refund.Id, reason), ct);
        }
        catch (ProviderUnavailableException e)
        {
            log.LogWarning(e, "Refund {RefundId} outcome unknown; it stays pending and reserved", refund.Id);
            await RecordAsync(refund.Id, null, actor, "payment.refund_unknown", e.Message, CancellationToken.None);
            throw e.With("refund_id", refund.Id);
        }
        catch (ProviderErrorException e)
        {
            await RecordAsync(refund.Id, new RefundResult(RefundStatus.Failed, null, e.Message), actor, "payment.refund_failed", e.Message, CancellationToken.None);
            throw e.With("refund_id", refund.Id);
        }
        var action = result.Status switch
        {
            RefundStatus.Succeeded => Settlement.RefundAction,
            RefundStatus.Failed => "payment.refund_failed",
            _ => "payment.refund_pending",
        };
        return await RecordAsync(refund.Id, result, actor, action, result.FailureReason, CancellationToken.None);
    }

    private async Task<(Refund, Payment)> ReserveAsync(
        string paymentId, long? amountMinor, string? reason, string actor, long? expectedRefundable, CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        var payment = await settler.LockByIdAsync(paymentId, ct) ?? throw PaymentsException.NotFound($"No payment '{paymentId}'.");
        if (payment.Status is not (PaymentStatus.Succeeded or PaymentStatus.PartiallyRefunded))
            throw new PaymentsException(ErrorKind.Conflict, $"Payment {paymentId} is {payment.Status.ToWire()}; only paid payments can be refunded.")
                .With("status", payment.Status.ToWire());

        var reserved = await db.Refunds.Where(r => r.PaymentId == paymentId && r.Status != Refund.Failed).SumAsync(r => r.AmountMinor, ct);
        var refundable = Refundable(payment, reserved);
        if (expectedRefundable is { } expected && expected != refundable)
            throw new PaymentsException(ErrorKind.Conflict,
                    $"Payment {paymentId} changed since you looked at it: {Money(Math.Max(refundable, 0), payment)} is refundable now. Check the refunds and try again.")
                .With("refundable", Math.Max(refundable, 0));
        var amount = amountMinor ?? refundable;
        if (refundable <= 0 || amount > refundable)
            throw new PaymentsException(ErrorKind.Conflict,
                    $"A refund of {Money(amount, payment)} exceeds what is still refundable ({Money(Math.Max(refundable, 0), payment)}).")
                .With("refundable", Math.Max(refundable, 0));

        var now = clock.GetUtcNow();
        var refund = new Refund
        {
            Id = Ids.New("re", now), PaymentId = paymentId, AmountMinor = amount, Currency = payment.Currency, Status = Refund.Pending,
            Reason = reason, RequestedBy = actor, CreatedAt = now, UpdatedAt = now,
        };
        db.Refunds.Add(refund);
        db.Add(now, "payment.refund_requested", actor, paymentId, new { refund_id = refund.Id, amount, currency = payment.Currency, reason });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (refund, payment);
    }

    /// <summary>Writes the provider's answer; a success moves the payment by the cumulative refunded total.</summary>
    private async Task<(Refund, Payment)> RecordAsync(string refundId, RefundResult? result, string actor, string action, string? why, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var tx = await db.BeginWriteAsync(ct);
        var refund = await db.Refunds.SingleAsync(r => r.Id == refundId, ct);
        var payment = (await settler.LockByIdAsync(refund.PaymentId, ct))!;
        var now = clock.GetUtcNow();
        refund.UpdatedAt = now;
        if (result is not null)
        {
            refund.ProviderRefundId = result.ProviderRefundId ?? refund.ProviderRefundId;
            refund.Status = result.Status switch
            {
                RefundStatus.Succeeded => Refund.Succeeded,
                RefundStatus.Failed => Refund.Failed,
                _ => Refund.Pending,
            };
            refund.FailureReason = result.FailureReason;
        }
        else refund.FailureReason = why;

        if (refund.Status == Refund.Succeeded)
        {
            var succeeded = await db.Refunds.Where(r => r.PaymentId == payment.Id && r.Status == Refund.Succeeded && r.Id != refund.Id)
                .SumAsync(r => r.AmountMinor, ct) + refund.AmountMinor;
            var total = new Core.Money.Money(Math.Max(succeeded, payment.RefundedMinor), payment.Amount.Currency);
            var decision = Settlement.Decide(payment.Snapshot(), new Observation(ProviderEventKind.Refunded, RefundedTotal: total));
            settler.ApplyDecision(payment, decision, null, now, actor, null);
            await settler.ApplyEffectsAsync(payment, decision, now, ct);
        }
        else
        {
            db.Add(now, action, actor, payment.Id, new { refund_id = refund.Id, amount = refund.AmountMinor, currency = refund.Currency, reason = why });
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (refund, payment);
    }

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
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Paid minus what is reserved by pending and succeeded refunds (or what the provider reports refunded, if more).</summary>
    public static long Refundable(Payment payment, long reservedByRefunds) =>
        payment.AmountMinor - Math.Max(reservedByRefunds, payment.RefundedMinor);

    private static string Money(long minor, Payment payment) => new Core.Money.Money(minor, payment.Amount.Currency).ToString();
}
