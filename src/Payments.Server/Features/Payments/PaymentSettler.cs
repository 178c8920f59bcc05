using System.Text;
using Microsoft.EntityFrameworkCore;
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
/// <item>webhooks: lock the payment, decide, insert the event (the UNIQUE index rejects a second
/// delivery, which rolls everything back), write the new state and the audit trail, commit;</item>
/// <item>verify: the same, without an event row, after asking the provider.</item>
/// </list>
/// The payment row is locked (<c>FOR UPDATE</c> on PostgreSQL; SQLite transactions take the write
/// lock up front) so two different success events for one payment settle it once. Registered
/// <see cref="IPaymentEffects"/> (credits) run inside the same transaction.
/// </summary>
public sealed class PaymentSettler(PaymentsDb db, DatabaseChoice database, TimeProvider clock, IEnumerable<IPaymentEffects> effects)
{
    private const string EventIndex = "ix_payment_events_provider_external_event_id";

    public async Task<DeliveryResult> RecordAndApplyAsync(
        string provider, ProviderEvent @event, string verification, ReadOnlyMemory<byte> rawBody, CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        var payment = await FindForUpdateAsync(provider, @event.PaymentId, @event.ProviderPaymentId, @event.ProviderReference, ct);
        var decisions = payment is null ? [] : DecideInOrder(payment.Snapshot(), ObservationsOf(@event));
        var decision = decisions.Count == 0 ? null : decisions.MaxBy(d => Rank(d.Outcome));
        var outcome = payment is null ? DeliveryOutcome.Unmatched : OutcomeOf(decision!);
        var now = clock.GetUtcNow();

        db.PaymentEvents.Add(new PaymentEvent
        {
            Provider = provider,
            ExternalEventId = @event.EventId,
            EventType = @event.EventType,
            PaymentId = payment?.Id,
            ReceivedAt = now,
            RawBody = Encoding.UTF8.GetString(rawBody.Span),
            Verification = verification,
            Outcome = OutcomeName(outcome),
        });
        db.Add(now, "payment.webhook", $"provider:{provider}", payment?.Id, new
        {
            event_id = @event.EventId, type = @event.EventType, signature_ok = true, verification, outcome = OutcomeName(outcome),
        });
        foreach (var each in decisions)
        {
            ApplyDecision(payment!, each, @event.ProviderReference, now, $"provider:{provider}", @event.EventId);
            await ApplyEffectsAsync(payment!, each, now, ct);
        }

        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e, EventIndex, "payment_events.provider", "payment_events.external_event_id"))
        {
            // Another delivery of this event got there first. Its transaction did the work; ours did nothing.
            db.ChangeTracker.Clear();
            return new DeliveryResult(DeliveryOutcome.Duplicate, null, null);
        }
        return new DeliveryResult(outcome, payment, decision);
    }

    /// <summary>Applies observations (from asking the provider) to one payment, in order, in one transaction.</summary>
    public async Task<(Payment Payment, SettlementDecision? Last)> ApplyObservedAsync(
        string paymentId, IReadOnlyList<Observation> observations, string? providerReference, string actor, CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        var payment = await LockByIdAsync(paymentId, ct)
                      ?? throw new InvalidOperationException($"Payment {paymentId} vanished.");
        var now = clock.GetUtcNow();
        SettlementDecision? last = null;
        foreach (var observation in observations)
        {
            last = Settlement.Decide(payment.Snapshot(), observation);
            ApplyDecision(payment, last, providerReference, now, actor, null);
            await ApplyEffectsAsync(payment, last, now, ct);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (payment, last);
    }

    /// <summary>Writes a decision (state + audit row) into the current unit of work; the caller commits.</summary>
    public void ApplyDecision(Payment payment, SettlementDecision decision, string? providerReference, DateTimeOffset now, string actor, string? eventId)
    {
        if (decision.AuditAction is { } action)
            db.Add(now, action, actor, payment.Id, new
            {
                from = payment.Status.ToWire(),
                to = decision.Status.ToWire(),
                amount = payment.AmountMinor,
                currency = payment.Currency,
                refunded = decision.RefundedMinor != payment.RefundedMinor ? decision.RefundedMinor : (long?)null,
                reason = decision.Reason,
                event_id = eventId,
            });
        if (!decision.Changes) return;

        payment.Status = decision.Status;
        payment.RefundedMinor = decision.RefundedMinor;
        payment.UpdatedAt = now;
        if (decision.Status == PaymentStatus.Succeeded) payment.PaidAt ??= now;
        if (decision.Status is PaymentStatus.Failed or PaymentStatus.Conflicted or PaymentStatus.Canceled)
            payment.FailureReason = decision.Reason ?? payment.FailureReason;
        if (providerReference is not null) payment.ProviderReference ??= providerReference;
    }

    /// <summary>Runs every <see cref="IPaymentEffects"/> for a decision that changed the payment (call right after
    /// <see cref="ApplyDecision"/>, inside the same transaction); the caller saves and commits.</summary>
    public async Task ApplyEffectsAsync(Payment payment, SettlementDecision decision, DateTimeOffset now, CancellationToken ct)
    {
        if (!decision.Changes) return;
        foreach (var effect in effects) await effect.ApplyAsync(db, payment, decision, now, ct);
    }

    /// <summary>Finds the payment an event is about: by our id, the provider's id, then the secondary reference.
    /// Always within the event's own provider, so one provider's event can never settle another's payment.</summary>
    private async Task<Payment?> FindForUpdateAsync(string provider, string? ourId, string? providerPaymentId, string? reference, CancellationToken ct)
    {
        if (ourId is not null && await LockAsync("provider = {0} AND id = {1}", provider, ourId, ct) is { } byOurs)
            return byOurs;
        if (providerPaymentId is not null &&
            await LockAsync("provider = {0} AND provider_payment_id = {1}", provider, providerPaymentId, ct) is { } byProvider)
            return byProvider;
        if (reference is not null)
            return await LockAsync("provider = {0} AND provider_reference = {1}", provider, reference, ct);
        return null;
    }

    // EF1002/EF1003: the SQL text is built only from constants in this file (the WHERE clauses above and
    // LockSuffix); every value travels as a parameter ({0}, {1}).
#pragma warning disable EF1002, EF1003
    /// <summary>Reads a payment for change, inside the caller's write transaction (row-locked on PostgreSQL).</summary>
    public async Task<Payment?> LockByIdAsync(string paymentId, CancellationToken ct)
    {
        var rows = await db.Payments.FromSqlRaw("SELECT * FROM payments WHERE id = {0}" + LockSuffix, paymentId).ToListAsync(ct);
        return rows.FirstOrDefault();
    }

    private async Task<Payment?> LockAsync(string condition, string a, string b, CancellationToken ct)
    {
        // Not composed further, so EF sends this SQL as written (FOR UPDATE stays at the top level).
        var rows = await db.Payments.FromSqlRaw($"SELECT * FROM payments WHERE {condition}{LockSuffix}", a, b).ToListAsync(ct);
        return rows.FirstOrDefault();
    }
#pragma warning restore EF1002, EF1003

    // SQLite needs no row lock: its transactions (BEGIN IMMEDIATE) already hold the only write lock.
    private string LockSuffix => database.Kind == DatabaseKind.Postgres ? " FOR UPDATE" : "";

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
    private static List<SettlementDecision> DecideInOrder(PaymentSnapshot snapshot, IReadOnlyList<Observation> observations)
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
    private static int Rank(SettlementOutcome outcome) => outcome switch
    {
        SettlementOutcome.Conflict => 4,
        SettlementOutcome.Applied => 3,
        SettlementOutcome.Stale => 2,
        SettlementOutcome.NoChange => 1,
        _ => 0,
    };

    private static DeliveryOutcome OutcomeOf(SettlementDecision decision) => decision.Outcome switch
    {
        SettlementOutcome.Applied => DeliveryOutcome.Applied,
        SettlementOutcome.NoChange => DeliveryOutcome.NoChange,
        SettlementOutcome.Stale => DeliveryOutcome.Stale,
        SettlementOutcome.Conflict => DeliveryOutcome.Conflict,
        _ => DeliveryOutcome.Informational,
    };

    public static string OutcomeName(DeliveryOutcome outcome) => PaymentsDb.SnakeCase(outcome.ToString());
}
