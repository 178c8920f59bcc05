using Microsoft.EntityFrameworkCore;
using Payments.Core.Errors;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Data.Sql;

namespace Payments.Server.Features.Payments;

/// <summary>
/// Applies what providers say to our payments, each time in one transaction with its audit rows:
/// verify, capture and the reconciliation worker call <see cref="ApplyObservedAsync"/> after asking
/// the provider; webhooks reach the same rules through <see cref="PaymentWebhooks"/> (Core's
/// <see cref="PaymentNews"/> and <see cref="Settlement"/>, and <see cref="Transition"/> here).
/// The payment row is locked (<c>FOR UPDATE</c> on PostgreSQL; SQLite transactions take the write
/// lock up front) so two different success events for one payment settle it once. Registered
/// <see cref="IPaymentEffects"/> (credits) run inside the same transaction.
/// </summary>
public sealed class PaymentSettler(PaymentsDb db, TimeProvider clock, IEnumerable<IPaymentEffects> effects, Hosting.MoneyLog money)
{
    /// <summary>
    /// Applies observations (from asking the provider) to one payment, in order, in one transaction.
    /// Returns the decision to report, chosen as a webhook delivery's is (<see cref="PaymentNews.Reported"/>): a conflict
    /// above all, so "paid a different amount, then refunded" still answers 409 and not the refusal after it.
    /// </summary>
    public async Task<(Payment Payment, SettlementDecision? Reported)> ApplyObservedAsync(
        string paymentId, IReadOnlyList<Observation> observations, string? providerReference, string actor, CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        var payment = await LockByIdAsync(paymentId, ct)
                      ?? throw new InvalidOperationException($"Payment {paymentId} vanished.");
        var now = clock.GetUtcNow();
        SettlementDecision? reported = null;
        foreach (var observation in observations)
        {
            var decision = Settlement.Decide(payment.Snapshot(), observation);
            ApplyDecision(payment, decision, providerReference, now, actor);
            await ApplyEffectsAsync(payment, decision, now, ct);
            if (reported is null || PaymentNews.Rank(decision.Outcome) > PaymentNews.Rank(reported.Outcome)) reported = decision;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (reported is { Changes: true })
            Announce(payment, reported, observations.FirstOrDefault(o => o.Kind == ProviderEventKind.PaymentSucceeded && o.Amount != payment.Amount)?.Amount);
        return (payment, reported);
    }

    /// <summary>After the commit: the money log line and counters for a decision that changed the payment.</summary>
    public void Announce(Payment payment, SettlementDecision decision, Core.Money.Money? reported)
    {
        if (decision.Outcome == SettlementOutcome.Conflict) money.Conflicted(payment.Provider, payment.Id, payment.Amount, reported);
        else money.Settled(payment.Provider, payment.Id, payment.Status, payment.AmountMinor, payment.Currency);
    }

    /// <summary>The one answer to a conflict (an amount or currency that differs from ours): 409 amount_mismatch, naming the payment.</summary>
    public static PaymentsException Mismatch(Payment payment, string? reason, string fallback) =>
        new PaymentsException(ErrorKind.AmountMismatch, reason ?? fallback).With("payment_id", payment.Id).With("payment_status", payment.Status.ToWire());

    /// <summary>Writes a decision (state, audit row, the host's outbox row) into the current unit of work; the caller commits.</summary>
    public void ApplyDecision(Payment payment, SettlementDecision decision, string? providerReference, DateTimeOffset now, string actor)
    {
        var (audit, news) = Transition(payment, decision, providerReference, now, actor, eventId: null);
        if (audit is not null) db.AuditLog.Add(audit);
        if (news is not null) db.Outbox.Add(news);
    }

    /// <summary>
    /// What a decision does to a payment: changes its fields (when the decision changes it) and
    /// returns the audit row that says so and the outbox row that tells the host (when it is news),
    /// not yet added anywhere. The one place these rules live, for the EF paths above and the webhook
    /// batch's SQL alike.
    /// </summary>
    public static (AuditEntry? Audit, OutboxEvent? News) Transition(
        Payment payment, SettlementDecision decision, string? providerReference, DateTimeOffset now, string actor, string? eventId)
    {
        var audit = decision.AuditAction is { } action
            ? Data.Audit.Entry(now, action, actor, payment.Id, new
            {
                from = payment.Status.ToWire(),
                to = decision.Status.ToWire(),
                amount = payment.AmountMinor,
                currency = payment.Currency,
                refunded = decision.RefundedMinor != payment.RefundedMinor ? decision.RefundedMinor : (long?)null,
                reason = decision.Reason,
                event_id = eventId,
            })
            : null;
        if (!decision.Changes) return (audit, null);

        var (before, refundedBefore) = (payment.Status, payment.RefundedMinor);
        payment.Status = decision.Status;
        payment.RefundedMinor = decision.RefundedMinor;
        payment.UpdatedAt = now;
        if (decision.Status == PaymentStatus.Succeeded) payment.PaidAt ??= now;
        if (decision.Status is PaymentStatus.Failed or PaymentStatus.Conflicted or PaymentStatus.Canceled)
            payment.FailureReason = decision.Reason ?? payment.FailureReason;
        if (providerReference is not null) payment.ProviderReference ??= providerReference;
        return (audit, Outbox.HostEvents.ForPayment(before, refundedBefore, payment, now));
    }

    /// <summary>Runs every <see cref="IPaymentEffects"/> for a decision that changed the payment (call right after
    /// <see cref="ApplyDecision"/>, inside the same transaction); the caller saves and commits.</summary>
    public async Task ApplyEffectsAsync(Payment payment, SettlementDecision decision, DateTimeOffset now, CancellationToken ct)
    {
        if (!decision.Changes) return;
        foreach (var effect in effects)
            if (effect.AppliesTo(payment, decision)) await effect.ApplyAsync(db, payment, decision, now, ct);
    }

    /// <summary>Reads a payment for change, inside the caller's write transaction (row-locked on PostgreSQL).</summary>
    public Task<Payment?> LockByIdAsync(string paymentId, CancellationToken ct) => new PaymentRows(db, SqlDialect.Of(db)).LockByIdAsync(paymentId, ct);
}
