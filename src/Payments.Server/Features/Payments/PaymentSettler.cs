using Microsoft.EntityFrameworkCore;
using Payments.Core.Errors;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Payments;

/// <summary>How a webhook delivery ended, for the HTTP answer.</summary>
public enum DeliveryOutcome { Applied, NoChange, Stale, Conflict, Informational, Unmatched, Duplicate }

public sealed record DeliveryResult(DeliveryOutcome Outcome, Payment? Payment, SettlementDecision? Decision);

/// <summary>
/// Applies what providers say to our payments, each time in one transaction with its audit rows:
/// <list type="bullet">
/// <item>webhooks: through the <see cref="Webhooks.WebhookBatcher"/>, which applies concurrent deliveries
/// in one transaction, each in its own savepoint: lock the payment, decide, insert the event (the
/// UNIQUE index rejects a second delivery, which rolls back that event alone), write the new state and
/// the audit trail; one commit, then every delivery is answered;</item>
/// <item>verify: the same rules, without an event row, after asking the provider.</item>
/// </list>
/// The payment row is locked (<c>FOR UPDATE</c> on PostgreSQL; SQLite transactions take the write
/// lock up front) so two different success events for one payment settle it once. Registered
/// <see cref="IPaymentEffects"/> (credits) run inside the same transaction.
/// </summary>
public sealed class PaymentSettler(
    PaymentsDb db, TimeProvider clock, IEnumerable<IPaymentEffects> effects, Webhooks.WebhookBatcher webhooks)
{
    /// <summary>Records a verified delivery once and applies it; answers after it is durably committed.</summary>
    public Task<DeliveryResult> RecordAndApplyAsync(
        string provider, ProviderEvent @event, string verification, ReadOnlyMemory<byte> rawBody, CancellationToken ct) =>
        webhooks.ApplyAsync(new Webhooks.WebhookDelivery(provider, @event, verification, rawBody), ct);

    /// <summary>
    /// Applies observations (from asking the provider) to one payment, in order, in one transaction.
    /// Returns the decision to report, chosen as a webhook delivery's is (<see cref="Rank"/>): a conflict
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
            if (reported is null || Rank(decision.Outcome) > Rank(reported.Outcome)) reported = decision;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (payment, reported);
    }

    /// <summary>The one answer to a conflict (an amount or currency that differs from ours): 409 amount_mismatch, naming the payment.</summary>
    public static PaymentsException Mismatch(Payment payment, string? reason, string fallback) =>
        new PaymentsException(ErrorKind.AmountMismatch, reason ?? fallback).With("payment_id", payment.Id).With("status", payment.Status.ToWire());

    /// <summary>Writes a decision (state + audit row) into the current unit of work; the caller commits.</summary>
    public void ApplyDecision(Payment payment, SettlementDecision decision, string? providerReference, DateTimeOffset now, string actor)
    {
        if (Transition(payment, decision, providerReference, now, actor, eventId: null) is { } audit) db.AuditLog.Add(audit);
    }

    /// <summary>
    /// What a decision does to a payment: changes its fields (when the decision changes it) and
    /// returns the audit row that says so, not yet added anywhere. The one place these rules live, for
    /// the EF paths above and the webhook batcher's SQL alike.
    /// </summary>
    public static AuditEntry? Transition(Payment payment, SettlementDecision decision, string? providerReference, DateTimeOffset now, string actor, string? eventId)
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
        if (!decision.Changes) return audit;

        payment.Status = decision.Status;
        payment.RefundedMinor = decision.RefundedMinor;
        payment.UpdatedAt = now;
        if (decision.Status == PaymentStatus.Succeeded) payment.PaidAt ??= now;
        if (decision.Status is PaymentStatus.Failed or PaymentStatus.Conflicted or PaymentStatus.Canceled)
            payment.FailureReason = decision.Reason ?? payment.FailureReason;
        if (providerReference is not null) payment.ProviderReference ??= providerReference;
        return audit;
    }

    /// <summary>Runs every <see cref="IPaymentEffects"/> for a decision that changed the payment (call right after
    /// <see cref="ApplyDecision"/>, inside the same transaction); the caller saves and commits.</summary>
    public async Task ApplyEffectsAsync(Payment payment, SettlementDecision decision, DateTimeOffset now, CancellationToken ct)
    {
        if (!decision.Changes) return;
        foreach (var effect in effects)
            if (effect.AppliesTo(payment, decision)) await effect.ApplyAsync(db, payment, decision, now, ct);
    }

    // EF1002/EF1003: the SQL text is built only from constants (here and RowLockSuffix); the value
    // travels as a parameter ({0}).
#pragma warning disable EF1002, EF1003
    /// <summary>Reads a payment for change, inside the caller's write transaction (row-locked on PostgreSQL).</summary>
    public async Task<Payment?> LockByIdAsync(string paymentId, CancellationToken ct)
    {
        var rows = await db.Payments.FromSqlRaw("SELECT * FROM payments WHERE id = {0}" + db.RowLockSuffix(), paymentId).ToListAsync(ct);
        return rows.FirstOrDefault();
    }

#pragma warning restore EF1002, EF1003


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

    /// <summary>Decides each observation on the state the ones before it leave.</summary>
    internal static List<SettlementDecision> DecideInOrder(PaymentSnapshot snapshot, IReadOnlyList<Observation> observations)
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

    /// <summary>Which of several decisions a delivery reports: a conflict above all, then a change.</summary>
    internal static int Rank(SettlementOutcome outcome) => outcome switch
    {
        SettlementOutcome.Conflict => 4,
        SettlementOutcome.Applied => 3,
        SettlementOutcome.Stale => 2,
        SettlementOutcome.NoChange => 1,
        _ => 0,
    };

    internal static DeliveryOutcome OutcomeOf(SettlementDecision decision) => decision.Outcome switch
    {
        SettlementOutcome.Applied => DeliveryOutcome.Applied,
        SettlementOutcome.NoChange => DeliveryOutcome.NoChange,
        SettlementOutcome.Stale => DeliveryOutcome.Stale,
        SettlementOutcome.Conflict => DeliveryOutcome.Conflict,
        _ => DeliveryOutcome.Informational,
    };

    public static string OutcomeName(DeliveryOutcome outcome) => PaymentsDb.SnakeCase(outcome.ToString());
}
