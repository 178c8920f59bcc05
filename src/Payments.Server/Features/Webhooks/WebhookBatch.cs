using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Payments;

namespace Payments.Server.Features.Webhooks;

/// <summary>A verified delivery, waiting to be recorded and applied.</summary>
public sealed record WebhookDelivery(string Provider, ProviderEvent Event, string Verification, ReadOnlyMemory<byte> RawBody);

/// <summary>How one delivery of a batch ended: its result, or the error that failed it alone.</summary>
internal readonly record struct Settled(DeliveryResult? Result, Exception? Error);

/// <summary>
/// Applies a batch of deliveries in ONE transaction, each in its own savepoint, with ONE commit:
/// <list type="number">
/// <item>deliveries already recorded by a committed transaction are duplicates (nothing is written);</item>
/// <item>every payment the batch concerns is locked by one query, in id order;</item>
/// <item>per delivery, in (provider, event id) order: SAVEPOINT; decide on the payment's current state
/// (Core's <see cref="Settlement"/>, as verify does); insert the event (the UNIQUE index catches a
/// concurrent duplicate), its audit rows and the payment's new state; RELEASE. On PostgreSQL the
/// statements of all deliveries travel in one round trip;</item>
/// <item>when a statement fails, only its delivery's savepoint is rolled back: a unique violation of
/// the event index makes it a duplicate, anything else fails that delivery alone. The deliveries after
/// it are decided again on the state without it, and sent again.</item>
/// </list>
/// Nothing is answered here: the caller completes the deliveries after the commit.
/// </summary>
internal sealed class WebhookBatch(PaymentsDb db, DatabaseChoice database, TimeProvider clock, IReadOnlyList<IPaymentEffects> effects)
{
    private const string EventIndex = "ix_payment_events_provider_external_event_id";
    private const int CommitOwner = int.MaxValue;
    private readonly WebhookRows _rows = new(db, database.Kind);
    private readonly List<Planned> _unsent = [];
    private DbConnection _connection = null!;
    private DbTransaction _transaction = null!;
    private StatementBatch _batch = null!;

    /// <summary>How many times this batch sent its queued writes; tests check that batching holds.</summary>
    internal int Sends => _batch?.Sends ?? 0;

    /// <summary>One delivery, decided: its rows, and the payment's state before, to undo it in memory.</summary>
    private sealed record Planned(
        int Position, int Index, Payment? Payment, PaymentState Before, PaymentEvent Row, List<AuditEntry> Audits,
        List<SettlementDecision> Changes, DeliveryResult Result);

    public async Task<Settled[]> ApplyAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken ct)
    {
        // One global order for every node: two batches inserting the same event ids wait on each other
        // in one direction only.
        var order = Enumerable.Range(0, deliveries.Count)
            .OrderBy(i => deliveries[i].Provider, StringComparer.Ordinal).ThenBy(i => deliveries[i].Event.EventId, StringComparer.Ordinal).ToArray();
        var settled = new Settled[deliveries.Count];

        await using var tx = await db.BeginWriteAsync(ct);
        _connection = db.Database.GetDbConnection();
        _transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        _batch = new StatementBatch(_connection, _transaction, database.Kind);
        var seen = await _rows.SeenAsync(deliveries, ct);
        var locked = await _rows.LockAsync(deliveries.Where(d => !seen.Contains((d.Provider, d.Event.EventId))).ToList(), ct);

        var position = 0;
        var committed = false;
        while (!committed)
        {
            if (position == order.Length)
            {
                // On PostgreSQL the COMMIT rides in the same round trip as the last writes (PostgreSQL
                // answers it only once the WAL is flushed); if a delivery fails first, PostgreSQL skips
                // the COMMIT, that delivery is rolled back, and the rest is sent again with it.
                var inline = database.Kind == DatabaseKind.Postgres;
                if (inline) _batch.Add(CommitOwner, "COMMIT");
                var resume = await FlushAsync(settled, ct);
                if (resume is { } next)
                {
                    position = next;
                    continue;
                }
                if (!inline) await tx.CommitAsync(ct);
                committed = true;
                continue;
            }
            var index = order[position];
            var delivery = deliveries[index];
            if (seen.Contains((delivery.Provider, delivery.Event.EventId)))
            {
                settled[index] = new Settled(new DeliveryResult(DeliveryOutcome.Duplicate, null, null), null);
                position++;
                continue;
            }

            Planned planned;
            try
            {
                planned = Plan(position, index, delivery, locked);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                settled[index] = new Settled(null, e);
                position++;
                continue;
            }
            settled[index] = new Settled(planned.Result, null);
            _unsent.Add(planned);
            _batch.Add(position, WebhookRows.Savepoint);
            var changed = planned.Changes.Count > 0 ? planned.Payment : null;
            if (changed is not null && planned.Changes.Any(d => effects.Any(effect => effect.AppliesTo(changed, d))))
            {
                // Effects run inside this delivery's savepoint once its event row is in (so never for a
                // duplicate) and before the payment row is written: send everything queued so far first.
                _rows.AddWrites(_batch, position, planned.Row, planned.Audits, null);
                if (await FlushAsync(settled, ct) is { } resume)
                {
                    position = resume;
                    continue;
                }
                if (!await RunEffectsAsync(planned, settled, ct))
                {
                    position++;
                    continue;
                }
                _unsent.Add(planned);
                _rows.AddPaymentUpdate(_batch, position, changed);
            }
            else
            {
                _rows.AddWrites(_batch, position, planned.Row, planned.Audits, changed);
            }
            _batch.Add(position, WebhookRows.Release);
            position++;
        }

        // (The transaction object is only disposed now: on PostgreSQL it is already committed.)
        return settled;
    }

    /// <summary>Decides one delivery on its payment's current state and changes that state in memory.</summary>
    private Planned Plan(int position, int index, WebhookDelivery delivery, List<Payment> locked)
    {
        var (provider, e) = (delivery.Provider, delivery.Event);
        var payment = Find(locked, provider, e);
        var before = PaymentState.Of(payment);
        var decisions = payment is null ? [] : PaymentSettler.DecideInOrder(payment.Snapshot(), PaymentSettler.ObservationsOf(e));
        var decision = decisions.Count == 0 ? null : decisions.MaxBy(d => PaymentSettler.Rank(d.Outcome));
        var outcome = payment is null ? DeliveryOutcome.Unmatched : PaymentSettler.OutcomeOf(decision!);
        var now = clock.GetUtcNow();
        var actor = $"provider:{provider}";

        var row = new PaymentEvent
        {
            Provider = provider, ExternalEventId = e.EventId, EventType = e.EventType, PaymentId = payment?.Id, ReceivedAt = now,
            RawBody = Encoding.UTF8.GetString(delivery.RawBody.Span), Verification = delivery.Verification,
            Outcome = PaymentSettler.OutcomeName(outcome),
        };
        List<AuditEntry> audits =
        [
            Data.Audit.Entry(now, "payment.webhook", actor, payment?.Id, new
            {
                event_id = e.EventId, type = e.EventType, signature_ok = true, verification = delivery.Verification,
                outcome = PaymentSettler.OutcomeName(outcome),
            }),
        ];
        try
        {
            foreach (var each in decisions)
                if (PaymentSettler.Transition(payment!, each, e.ProviderReference, now, actor, e.EventId) is { } audit)
                    audits.Add(audit);
        }
        catch
        {
            before.Restore(payment);
            throw;
        }
        // The answer shows the payment as this delivery left it, not as later deliveries of the batch will.
        var result = new DeliveryResult(outcome, payment is null ? null : PaymentState.Copy(payment), decision);
        return new Planned(position, index, payment, before, row, audits, decisions.Where(d => d.Changes).ToList(), result);
    }

    /// <summary>By our id, the provider's id, then the secondary reference; always within the event's own provider.</summary>
    private static Payment? Find(List<Payment> locked, string provider, ProviderEvent e) =>
        (e.PaymentId is { } ours ? locked.Find(p => p.Provider == provider && p.Id == ours) : null)
        ?? (e.ProviderPaymentId is { } theirs ? locked.Find(p => p.Provider == provider && p.ProviderPaymentId == theirs) : null)
        ?? (e.ProviderReference is { } reference ? locked.Find(p => p.Provider == provider && p.ProviderReference == reference) : null);

    /// <summary>
    /// Sends what is queued. Null when all of it held. Otherwise the failing delivery's savepoint is
    /// rolled back, it is settled (duplicate or failed), every delivery planned after it is undone in
    /// memory, and the position to continue from (the one after it) is returned.
    /// </summary>
    private async Task<int?> FlushAsync(Settled[] settled, CancellationToken ct)
    {
        var failure = await _batch.ExecuteAsync(ct);
        if (failure is not { } failed)
        {
            _unsent.Clear();
            return null;
        }
        // Deadlock or serialization failure, or the COMMIT itself failed: the batcher retries the deliveries.
        if (WebhookBatcher.IsRetryable(failed.Error) || failed.Owner == CommitOwner) throw failed.Error;
        await RollBackDeliveryAsync(ct);

        var culprit = _unsent.Single(p => p.Position == failed.Owner);
        for (var i = _unsent.Count - 1; i >= 0 && _unsent[i].Position >= failed.Owner; i--) _unsent[i].Before.Restore(_unsent[i].Payment);
        settled[culprit.Index] = DbErrors.IsUniqueViolation(failed.Error, EventIndex, "payment_events.provider", "payment_events.external_event_id")
            ? new Settled(new DeliveryResult(DeliveryOutcome.Duplicate, null, null), null)
            : new Settled(null, failed.Error);
        _unsent.Clear();
        return failed.Owner + 1;
    }

    /// <summary>Runs the registered effects for a delivery whose SAVEPOINT is open; false when they failed (then it is rolled back).</summary>
    private async Task<bool> RunEffectsAsync(Planned planned, Settled[] settled, CancellationToken ct)
    {
        try
        {
            foreach (var decision in planned.Changes)
            foreach (var effect in effects)
                if (effect.AppliesTo(planned.Payment!, decision))
                    await effect.ApplyAsync(db, planned.Payment!, decision, planned.Row.ReceivedAt, ct);
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException && !WebhookBatcher.IsRetryable(e))
        {
            db.ChangeTracker.Clear();
            await RollBackDeliveryAsync(ct);
            planned.Before.Restore(planned.Payment);
            settled[planned.Index] = new Settled(null, e);
            return false;
        }
    }

    private async Task RollBackDeliveryAsync(CancellationToken ct)
    {
        await StatementBatch.ExecuteAsync(_connection, _transaction, WebhookRows.RollbackTo, ct);
        await StatementBatch.ExecuteAsync(_connection, _transaction, WebhookRows.Release, ct);
    }
}
