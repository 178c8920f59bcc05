using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Payments.Core.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Data.Sql;

namespace Payments.Server.Features.Webhooks;

/// <summary>How one delivery of a batch ended: its result, or the error that failed it alone.</summary>
internal readonly record struct Settled(DeliveryResult? Result, Exception? Error);

/// <summary>
/// Applies a batch of deliveries in ONE transaction, each in its own savepoint, with ONE commit:
/// <list type="number">
/// <item>deliveries already recorded by a committed transaction are duplicates (nothing is written);</item>
/// <item>each record type's handler locks every record its deliveries concern, in one query, in id order;</item>
/// <item>per delivery, in (provider, event id) order: SAVEPOINT; the handler decides on the record's current
/// state; insert the event (the UNIQUE index catches a concurrent duplicate), its audit rows and the
/// record's new state; RELEASE. On PostgreSQL the statements of all deliveries travel in one round trip;</item>
/// <item>when a statement fails, only its delivery's savepoint is rolled back: a unique violation of
/// the event index makes it a duplicate, anything else fails that delivery alone. The deliveries after
/// it are decided again on the state without it, and sent again.</item>
/// </list>
/// It knows no record type: what an event means is its handler's (<see cref="IWebhookHandler"/>).
/// Nothing is answered here: the caller completes the deliveries after the commit.
/// </summary>
internal sealed class WebhookBatch(PaymentsDb db, SqlDialect dialect, TimeProvider clock, IReadOnlyList<IWebhookHandler> handlers)
{
    private const int CommitOwner = int.MaxValue;
    private readonly WebhookEventRows _rows = new(db, dialect);
    private readonly List<Planned> _unsent = [];
    private DbConnection _connection = null!;
    private DbTransaction _transaction = null!;
    private StatementBatch _batch = null!;

    /// <summary>How many times this batch sent its queued writes; tests check that batching holds.</summary>
    internal int Sends => _batch?.Sends ?? 0;

    /// <summary>One delivery, decided: its handler's plan and the intake's own rows.</summary>
    private sealed record Planned(int Position, int Index, HandledDelivery Handled, PaymentEvent Row, List<AuditEntry> Audits);

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
        _batch = new StatementBatch(_connection, _transaction, dialect.Kind);
        var seen = await _rows.SeenAsync(deliveries.Select(d => (d.Provider, d.Event.EventId)).ToList(), ct);
        var parts = await BeginPartsAsync(deliveries.Where(d => !seen.Contains((d.Provider, d.Event.EventId))).ToList(), ct);

        var position = 0;
        var committed = false;
        while (!committed)
        {
            if (position == order.Length)
            {
                // Where the dialect allows, the COMMIT rides in the same round trip as the last writes
                // (PostgreSQL answers it only once the WAL is flushed); if a delivery fails first, the
                // COMMIT is skipped, that delivery is rolled back, and the rest is sent again with it.
                var inline = dialect.CommitsInBatch;
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
                settled[index] = new Settled(new DeliveryResult(DeliveryOutcome.Duplicate), null);
                position++;
                continue;
            }

            Planned planned;
            try
            {
                planned = Plan(position, index, delivery, parts);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                settled[index] = new Settled(null, e);
                position++;
                continue;
            }
            settled[index] = new Settled(planned.Handled.Result, null);
            _unsent.Add(planned);
            _batch.Add(position, WebhookEventRows.Savepoint);
            if (planned.Handled.Effects is not null)
            {
                // Effects run inside this delivery's savepoint once its event row is in (so never for a
                // duplicate) and before the record's row is written: send everything queued so far first.
                _rows.AddWrites(_batch, position, planned.Row, planned.Audits, []);
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
                foreach (var write in planned.Handled.Writes) WebhookEventRows.AddWrite(_batch, position, write);
            }
            else
            {
                _rows.AddWrites(_batch, position, planned.Row, planned.Audits, planned.Handled.Writes);
            }
            _batch.Add(position, WebhookEventRows.Release);
            position++;
        }

        // (The transaction object is only disposed now: on PostgreSQL it is already committed.)
        return settled;
    }

    /// <summary>Each record type's share of the batch, its records locked; types nobody handles get none.</summary>
    private async Task<Dictionary<WebhookRecordType, IWebhookBatchPart>> BeginPartsAsync(List<WebhookDelivery> fresh, CancellationToken ct)
    {
        var parts = new Dictionary<WebhookRecordType, IWebhookBatchPart>();
        var scope = new WebhookBatchScope(db, dialect, clock);
        foreach (var group in fresh.GroupBy(d => d.Event.RecordType).OrderBy(g => g.Key))
        {
            if (handlers.FirstOrDefault(h => h.RecordType == group.Key) is not { } handler) continue;
            var part = handler.Begin(scope);
            await part.LoadAsync(group.ToList(), ct);
            parts[group.Key] = part;
        }
        return parts;
    }

    /// <summary>The handler's decision, and the intake's own rows: the event and its <c>payment.webhook</c> audit row.</summary>
    private Planned Plan(int position, int index, WebhookDelivery delivery, Dictionary<WebhookRecordType, IWebhookBatchPart> parts)
    {
        var e = delivery.Event;
        var now = clock.GetUtcNow();
        var handled = parts.TryGetValue(e.RecordType, out var part)
            ? part.Plan(delivery, now)
            : new HandledDelivery { Outcome = DeliveryOutcome.Unhandled, Result = new DeliveryResult(DeliveryOutcome.Unhandled) };
        var outcome = handled.Outcome.ToWire();
        var recordType = e.RecordType.ToWire();
        var row = new PaymentEvent
        {
            Provider = delivery.Provider, ExternalEventId = e.EventId, EventType = e.EventType, PaymentId = handled.PaymentId, ReceivedAt = now,
            RawBody = Encoding.UTF8.GetString(delivery.RawBody.Span), Verification = delivery.Verification, Outcome = outcome,
            RecordType = recordType, RecordId = handled.RecordId ?? e.RecordId,
        };
        List<AuditEntry> audits =
        [
            Data.Audit.Entry(now, "payment.webhook", $"provider:{delivery.Provider}", handled.PaymentId, new
            {
                event_id = e.EventId, type = e.EventType, signature_ok = delivery.Signed, verification = delivery.Verification, outcome,
                record_type = e.RecordType == WebhookRecordType.Payment ? null : recordType,
            }),
            .. handled.Audits,
        ];
        return new Planned(position, index, handled, row, audits);
    }

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
        if (DbErrors.IsRetryable(failed.Error) || failed.Owner == CommitOwner) throw failed.Error;
        await RollBackDeliveryAsync(ct);

        var culprit = _unsent.Single(p => p.Position == failed.Owner);
        for (var i = _unsent.Count - 1; i >= 0 && _unsent[i].Position >= failed.Owner; i--) _unsent[i].Handled.Undo();
        settled[culprit.Index] = WebhookEventRows.IsDuplicate(failed.Error)
            ? new Settled(new DeliveryResult(DeliveryOutcome.Duplicate), null)
            : new Settled(null, failed.Error);
        _unsent.Clear();
        return failed.Owner + 1;
    }

    /// <summary>Runs a delivery's effects while its SAVEPOINT is open; false when they failed (then it is rolled back).</summary>
    private async Task<bool> RunEffectsAsync(Planned planned, Settled[] settled, CancellationToken ct)
    {
        try
        {
            await planned.Handled.Effects!(ct);
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException && !DbErrors.IsRetryable(e))
        {
            db.ChangeTracker.Clear();
            await RollBackDeliveryAsync(ct);
            planned.Handled.Undo();
            settled[planned.Index] = new Settled(null, e);
            return false;
        }
    }

    private async Task RollBackDeliveryAsync(CancellationToken ct)
    {
        await StatementBatch.ExecuteAsync(_connection, _transaction, WebhookEventRows.RollbackTo, ct);
        await StatementBatch.ExecuteAsync(_connection, _transaction, WebhookEventRows.Release, ct);
    }
}
