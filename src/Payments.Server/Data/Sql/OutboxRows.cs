using Microsoft.EntityFrameworkCore;
using Payments.Server.Data.Entities;

namespace Payments.Server.Data.Sql;

/// <summary>
/// Hand-written SQL of the outbox: the insert the webhook batch sends beside a payment's new state,
/// and the dispatcher's claims, which several nodes compete for (row locks skipped, not waited on).
/// </summary>
public static class OutboxRows
{
    private static readonly string?[] InsertSqlByRows = new string?[8];

    /// <summary>
    /// The rows as ONE multi-row INSERT, so their ids follow list order (VALUES order) on both engines.
    /// Two INSERTs chained in one PostgreSQL statement would not: data-modifying CTEs that nothing
    /// references run after the main statement, so a "refunded" row would get a smaller id than the
    /// "succeeded" row before it, and the host would be told in the wrong order.
    /// </summary>
    public static RowWrite InsertOf(IReadOnlyList<OutboxEvent> rows, SqlDialect dialect)
    {
        var sql = rows.Count < InsertSqlByRows.Length ? InsertSqlByRows[rows.Count] ??= Build(rows.Count) : Build(rows.Count);
        var args = new Arg[rows.Count * 6];
        for (var i = 0; i < rows.Count; i++)
        {
            var e = rows[i];
            (args[i * 6], args[i * 6 + 1], args[i * 6 + 2], args[i * 6 + 3], args[i * 6 + 4], args[i * 6 + 5]) =
                (Arg.Text(e.EventId), Arg.Text(e.Type), Arg.Text(e.ResourceType), Arg.Text(e.ResourceId), Arg.Text(e.Payload), dialect.Time(e.CreatedAt));
        }
        return new RowWrite(sql, args);

        static string Build(int count) =>
            "INSERT INTO outbox_events (event_id, type, resource_type, resource_id, payload, created_at) VALUES " +
            string.Join(", ", Enumerable.Range(0, count).Select(i => "(" + string.Join(", ", Enumerable.Range(i * 6 + 1, 6).Select(n => "$" + n)) + ")"));
    }


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

    /// <summary>
    /// Whether this node may fan out now (inside the caller's write transaction): on PostgreSQL a
    /// transaction-scoped advisory lock that another node holding it makes this one skip the pass; on
    /// SQLite the write transaction itself is exclusive.
    /// </summary>
    public static async Task<bool> TryFanOutTurnAsync(PaymentsDb db, CancellationToken ct)
    {
        if (SqlDialect.Of(db).TryLockSql(FanOutLockKey) is not { } sql) return true;
        return (await db.Database.SqlQueryRaw<bool>(sql).ToListAsync(ct)).Single();
    }

    private const long FanOutLockKey = 7_246_001_012;

#pragma warning disable EF1002, EF1003 // SQL made of constants and the dialect's fixed fragments; values travel as parameters
    /// <summary>Outbox rows not yet copied into deliveries, oldest first, locked for this transaction (the caller holds the fan-out turn).</summary>
    public static Task<List<OutboxEvent>> LockUnfannedAsync(PaymentsDb db, int limit, CancellationToken ct)
    {
        var dialect = SqlDialect.Of(db);
        return db.Outbox.FromSqlRaw(
                $"SELECT * FROM outbox_events WHERE fanned_out = {dialect.False} ORDER BY id LIMIT {{0}}{dialect.RowLock}", limit)
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
