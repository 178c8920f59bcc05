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
    /// <param name="requestKey">The caller's Idempotency-Key: a retry with it resumes the same refund (the provider
    /// is asked again with the same refund id, so it refunds at most once) instead of reserving another.</param>
    /// <param name="expectedRefundable">What the caller saw as still refundable (the dashboard's form carries it):
    /// when it no longer holds, the refund is refused, so a form sent twice refunds once.</param>
    public async Task<(Refund Refund, Payment Payment)> RefundAsync(
        string paymentId, long? amountMinor, string? reason, string actor, CancellationToken ct,
        long? expectedRefundable = null, string? requestKey = null)
    {
        if (amountMinor is <= 0) throw PaymentsException.Validation("'amount' must be a positive number of minor units, or left out for the whole remaining amount.");
        reason = NormalizeReason(reason);
        if (reason is { Length: > MaxReasonLength }) throw PaymentsException.Validation($"'reason' is at most {MaxReasonLength} characters.");

        var (refund, payment) = await ResumeAsync(paymentId, amountMinor, actor, requestKey, ct)
                                ?? await ReserveOrResumeAsync(paymentId, amountMinor, reason, actor, expectedRefundable, requestKey, ct);
        if (refund.Status != Refund.Pending) return (refund, payment); // a retry of a refund that already ended
        var provider = providers.Get<IRefundProvider>(payment.Provider);
        // Reserved: from here on the provider is asked and its answer recorded even if the caller goes away
        // (the adapter's own timeouts still bound the calls). Cancelled halfway, a refund the provider made
        // would stay pending until the reconciliation worker found it.
        RefundResult result;
        try
        {
            result = await provider.RefundAsync(new RefundRequest(
                payment.Id, payment.ProviderPaymentId!, payment.ProviderReference,
                new Core.Money.Money(refund.AmountMinor, payment.Amount.Currency), refund.Id, reason,
                // A destination charge's refund comes back from the vendor's account and the fee in proportion, as our ledger books it.
                ReverseSplit: Vendors.VendorLedgerEffects.IsVendorPayment(payment)), CancellationToken.None);
        }
        catch (ProviderUnavailableException e)
        {
            log.LogWarning(e, "Refund {RefundId} outcome unknown; it stays pending and reserved", refund.Id);
            await RecordAsync(refund.Id, null, null, actor, "payment.refund_unknown", e.Message, CancellationToken.None);
            throw e.With("refund_id", refund.Id);
        }
        catch (PaymentsException e)
        {
            // The provider refused before doing anything (an error, an amount it cannot represent, no capture):
            // the refund failed and its reservation is released.
            await RecordAsync(refund.Id, new RefundResult(RefundStatus.Failed, null, e.Message), null, actor, "payment.refund_failed", e.Message, CancellationToken.None);
            throw e.With("refund_id", refund.Id);
        }
        var action = result.Status switch
        {
            RefundStatus.Succeeded => SucceededAction,
            RefundStatus.Failed => "payment.refund_failed",
            _ => "payment.refund_pending",
        };
        var providerTotal = result.Status == RefundStatus.Succeeded ? await ProviderRefundedTotalAsync(provider, payment, CancellationToken.None) : null;
        return await RecordAsync(refund.Id, result, providerTotal, actor, action, result.FailureReason, CancellationToken.None);
    }

    /// <summary>The refund this caller already asked for with this key, if any (and the payment it belongs to).</summary>
    private async Task<(Refund, Payment)?> ResumeAsync(string paymentId, long? amountMinor, string actor, string? requestKey, CancellationToken ct)
    {
        if (requestKey is null) return null;
        var earlier = await db.Refunds.AsNoTracking().FirstOrDefaultAsync(r => r.RequestedBy == actor && r.RequestKey == requestKey, ct);
        if (earlier is null) return null;
        if (earlier.PaymentId != paymentId || (amountMinor is { } asked && asked != earlier.AmountMinor))
            throw new PaymentsException(ErrorKind.IdempotencyKeyReused,
                "This Idempotency-Key was already used for another refund; use a new key for a new refund.");
        var payment = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == earlier.PaymentId, ct);
        return (earlier, payment);
    }

    private async Task<(Refund, Payment)> ReserveOrResumeAsync(
        string paymentId, long? amountMinor, string? reason, string actor, long? expectedRefundable, string? requestKey, CancellationToken ct)
    {
        try
        {
            return await ReserveAsync(paymentId, amountMinor, reason, actor, expectedRefundable, requestKey, ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e, "ix_refunds_requested_by_request_key", "refunds.requested_by", "refunds.request_key"))
        {
            db.ChangeTracker.Clear(); // the same key arrived twice at once: the other one reserved it
            return (await ResumeAsync(paymentId, amountMinor, actor, requestKey, ct))!.Value;
        }
    }

    /// <summary>
    /// The provider's own cumulative refunded total after a success, so refunds made outside this API
    /// (the provider's dashboard) are counted too. Best effort: if the provider cannot be asked, our own
    /// total stands and its next webhook, verify or the reconciliation worker completes it.
    /// </summary>
    private async Task<long?> ProviderRefundedTotalAsync(IProvider provider, Payment payment, CancellationToken ct)
    {
        if (provider is not ICheckoutProvider checkout) return null;
        try
        {
            var answer = await checkout.GetPaymentAsync(payment.ProviderPaymentId!, ct);
            return answer.RefundedTotal is { } total && total.Currency == payment.Amount.Currency ? total.Minor : null;
        }
        catch (PaymentsException e)
        {
            log.LogInformation(e, "Could not read {PaymentId}'s refunded total from {Provider}", payment.Id, provider.Name);
            return null;
        }
    }

    private async Task<(Refund, Payment)> ReserveAsync(
        string paymentId, long? amountMinor, string? reason, string actor, long? expectedRefundable, string? requestKey, CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        var payment = await settler.LockByIdAsync(paymentId, ct) ?? throw PaymentsException.NotFound($"No payment '{paymentId}'.");
        providers.Get<IRefundProvider>(payment.Provider); // a provider that is switched off (or cannot refund) refuses before anything is reserved
        if (payment.Status is not (PaymentStatus.Succeeded or PaymentStatus.PartiallyRefunded))
            throw new PaymentsException(ErrorKind.Conflict, $"Payment {paymentId} is {payment.Status.ToWire()}; only paid payments can be refunded.")
                .With("payment_status", payment.Status.ToWire());

        var refundable = Refundable(payment, Reserved(await db.Refunds.Where(r => r.PaymentId == paymentId).ToListAsync(ct)));
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
            Reason = reason, RequestedBy = actor, RequestKey = requestKey, CreatedAt = now, UpdatedAt = now,
        };
        db.Refunds.Add(refund);
        db.Add(now, "payment.refund_requested", actor, paymentId, new { refund_id = refund.Id, amount, currency = payment.Currency, reason });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (refund, payment);
    }

    /// <summary>The audit action of a refund the provider confirmed (the payment's own move is <see cref="Settlement.RefundAction"/>).</summary>
    public const string SucceededAction = "payment.refund_succeeded";

    /// <summary>
    /// Writes the provider's answer, always with an audit row naming the refund; a success also moves the
    /// payment by the cumulative refunded total (its own <see cref="Settlement.RefundAction"/> row, unless
    /// a webhook or verify already moved it). The payment is locked before the refund is read, as the
    /// reconciler does, and only a refund that is still pending changes: a late answer never undoes an
    /// outcome recorded meanwhile.
    /// </summary>
    private async Task<(Refund, Payment)> RecordAsync(
        string refundId, RefundResult? result, long? providerTotal, string actor, string action, string? why, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var tx = await db.BeginWriteAsync(ct);
        var paymentId = await db.Refunds.Where(r => r.Id == refundId).Select(r => r.PaymentId).SingleAsync(ct);
        var payment = (await settler.LockByIdAsync(paymentId, ct))!;
        var refund = await db.Refunds.SingleAsync(r => r.Id == refundId, ct);
        if (refund.Status != Refund.Pending) return (refund, payment);
        var now = clock.GetUtcNow();
        SettlementDecision? moved = null;
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
            // Cumulative, like a charge.refunded webhook: whichever of ours, the payment's and the provider's is largest.
            // (Adding ours to the payment's would count a refund twice when its webhook got here first.)
            var total = new Core.Money.Money(Math.Max(Math.Max(succeeded, payment.RefundedMinor), providerTotal ?? 0), payment.Amount.Currency);
            var decision = Settlement.Decide(payment.Snapshot(), new Observation(ProviderEventKind.Refunded, RefundedTotal: total));
            settler.ApplyDecision(payment, decision, null, now, actor);
            await settler.ApplyEffectsAsync(payment, decision, now, ct);
            moved = decision;
        }
        else if (refund.Status == Refund.Failed)
            // While it was pending this refund covered part of the provider's total; a refund made at the
            // provider meanwhile (reported then) may have been counted as it. Now it has failed, give that its row.
            await OutsideRefunds.RecordUncoveredAsync(db, payment, payment.RefundedMinor, now, ct);
        db.Add(now, action, actor, payment.Id, new
        {
            refund_id = refund.Id, amount = refund.AmountMinor, currency = refund.Currency, provider_refund_id = refund.ProviderRefundId, reason = why,
        });
        // After the payment's own news (payment.refunded), in the same transaction: the host hears both, in that order.
        if (Outbox.HostEvents.ForRefund(refund, now) is { } news) db.Outbox.Add(news);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (moved is { Changes: true }) settler.Announce(payment, moved, null);
        return (refund, payment);
    }

    public const int MaxReasonLength = 500;

    /// <summary>A reason as stored: blank is no reason, the rest trimmed (the API and the dashboard alike).</summary>
    public static string? NormalizeReason(string? reason) => string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();

    /// <summary>What a payment's refunds hold back: every one that has not failed (pending ones stay reserved).</summary>
    public static long Reserved(IEnumerable<Refund> refunds) => refunds.Where(r => r.Status != Refund.Failed).Sum(r => r.AmountMinor);

    /// <summary>Paid minus what is reserved by pending and succeeded refunds (or what the provider reports refunded, if more).</summary>
    public static long Refundable(Payment payment, long reservedByRefunds) =>
        payment.AmountMinor - Math.Max(reservedByRefunds, payment.RefundedMinor);

    private static string Money(long minor, Payment payment) => new Core.Money.Money(minor, payment.Amount.Currency).ToString();
}
