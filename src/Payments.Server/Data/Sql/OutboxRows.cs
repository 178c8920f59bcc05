using Microsoft.EntityFrameworkCore;
using Payments.Server.Data.Entities;

namespace Payments.Server.Data.Sql;

/// <summary>
/// Hand-written SQL of the outbox: the insert the webhook batch sends beside a payment's new state,
/// and the dispatcher's claims, which several nodes compete for (row locks skipped, not waited on).
/// </summary>
public static class OutboxRows
{
    private const string Insert =
        "INSERT INTO outbox_events (event_id, type, resource_type, resource_id, payload, created_at) VALUES ($1, $2, $3, $4, $5, $6)";

    public static RowWrite InsertOf(OutboxEvent e, SqlDialect dialect) => new(Insert,
    [
        Arg.Text(e.EventId), Arg.Text(e.Type), Arg.Text(e.ResourceType), Arg.Text(e.ResourceId), Arg.Text(e.Payload), dialect.Time(e.CreatedAt),
    ]);

    private const string InsertDelivery =
        "INSERT INTO webhook_deliveries (endpoint_id, outbox_id, resource_key, status, attempts, next_attempt_at, created_at, updated_at) " +
        "VALUES ({0}, {1}, {2}, 'pending', 0, {3}, {3}, {3}) ON CONFLICT (endpoint_id, outbox_id) ";

    /// <summary>
    /// A delivery of an event to an endpoint, due now. Fan-out leaves one that exists alone; a replay
    /// makes it pending and due again (keeping a lease a node may hold on it: that node is sending it now).
    /// </summary>
#pragma warning disable EF1002, EF1003 // constant SQL; values travel as parameters
    public static Task<int> UpsertDeliveryAsync(PaymentsDb db, string endpointId, OutboxEvent e, DateTimeOffset now, bool replay, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync(
            InsertDelivery + (replay
                ? "DO UPDATE SET status = 'pending', next_attempt_at = excluded.next_attempt_at, updated_at = excluded.updated_at"
                : "DO NOTHING"),
            [endpointId, e.Id, $"{e.ResourceType}:{e.ResourceId}", SqlDialect.Of(db).TimeValue(now)], ct);
#pragma warning restore EF1002, EF1003

#pragma warning disable EF1002, EF1003 // SQL made of constants and the dialect's fixed fragments; values travel as parameters
    /// <summary>Outbox rows not yet copied into deliveries, oldest first, locked for this transaction (skipped when another node holds them).</summary>
    public static Task<List<OutboxEvent>> LockUnfannedAsync(PaymentsDb db, int limit, CancellationToken ct)
    {
        var dialect = SqlDialect.Of(db);
        return db.Outbox.FromSqlRaw(
                $"SELECT * FROM outbox_events WHERE fanned_out = {dialect.False} ORDER BY id LIMIT {{0}}{dialect.SkipLocked}", limit)
            .ToListAsync(ct);
    }

    /// <summary>
    /// Takes up to <paramref name="limit"/> deliveries that are due, not held by anyone (or whose holder's
    /// lease ran out: a node that died), and first in line for their endpoint and resource (the next event
    /// about a payment waits for the one before it), and holds them until <paramref name="leaseUntil"/>.
    /// One statement, so two nodes never take the same delivery. Answers the ids taken.
    /// </summary>
    public static Task<List<long>> ClaimAsync(PaymentsDb db, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct)
    {
        var dialect = SqlDialect.Of(db);
        var sql =
            "UPDATE webhook_deliveries SET locked_until = {0} WHERE id IN (" +
            "SELECT d.id FROM webhook_deliveries d WHERE d.status = 'pending' AND d.next_attempt_at <= {1} " +
            "AND (d.locked_until IS NULL OR d.locked_until < {1}) " +
            "AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.endpoint_id = d.endpoint_id AND e.resource_key = d.resource_key " +
            "AND e.status = 'pending' AND e.outbox_id < d.outbox_id) " +
            $"ORDER BY d.next_attempt_at, d.id LIMIT {{2}}{dialect.SkipLocked}) RETURNING id AS \"Value\"";
        return db.Database.SqlQueryRaw<long>(sql, dialect.TimeValue(leaseUntil), dialect.TimeValue(now), limit).ToListAsync(ct);
    }
#pragma warning restore EF1002, EF1003
}
