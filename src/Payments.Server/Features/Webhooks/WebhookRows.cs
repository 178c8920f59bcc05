using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using Payments.Core.Payments;
using Payments.Server.Data;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Webhooks;

/// <summary>
/// The SQL of the webhook batch: which events are already recorded, locking the batch's payments,
/// and the rows one delivery writes (its event, its audit rows, the payment's new state). The
/// columns are the EF model's (snake_case; instants as timestamptz on PostgreSQL, UTC ticks on SQLite).
/// </summary>
internal sealed class WebhookRows(PaymentsDb db, DatabaseKind kind)
{
    public const string Savepoint = "SAVEPOINT delivery";
    public const string Release = "RELEASE SAVEPOINT delivery";
    public const string RollbackTo = "ROLLBACK TO SAVEPOINT delivery";

    private const string InsertEvent =
        "INSERT INTO payment_events (provider, external_event_id, event_type, payment_id, received_at, raw_body, verification, outcome) " +
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

    // "SELECT * FROM payments" first, like every locking read of a payment (tests that widen race
    // windows recognise them by it). Each branch uses an index; rows are locked in id order, so two
    // nodes' batches always take their locks in the same order and cannot deadlock on them.
    private const string LockPostgres =
        "SELECT * FROM payments WHERE id IN (SELECT unnest(@ids) " +
        "UNION SELECT p.id FROM payments p JOIN unnest(@pp, @pk) AS k(provider, ref) ON p.provider = k.provider AND p.provider_payment_id = k.ref " +
        "UNION SELECT p.id FROM payments p JOIN unnest(@rp, @rk) AS k(provider, ref) ON p.provider = k.provider AND p.provider_reference = k.ref) " +
        "ORDER BY id FOR UPDATE";
    private const string LockSqlite =
        "SELECT * FROM payments WHERE id IN (SELECT value FROM json_each(@ids) " +
        "UNION SELECT p.id FROM json_each(@pk) k JOIN payments p ON p.provider = json_extract(k.value, '$[0]') AND p.provider_payment_id = json_extract(k.value, '$[1]') " +
        "UNION SELECT p.id FROM json_each(@rk) k JOIN payments p ON p.provider = json_extract(k.value, '$[0]') AND p.provider_reference = json_extract(k.value, '$[1]')) " +
        "ORDER BY id";

    private const string SeenPostgres =
        "SELECT provider, external_event_id FROM payment_events WHERE (provider, external_event_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))";
    private const string SeenSqlite =
        "SELECT provider, external_event_id FROM payment_events " +
        "WHERE (provider, external_event_id) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each($1))";

    /// <summary>
    /// (provider, event id) pairs already recorded by a committed transaction. A fast path only: such a
    /// delivery would fail the insert anyway; the UNIQUE index stays the gate for everything concurrent.
    /// </summary>
    public async Task<HashSet<(string, string)>> SeenAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        if (kind == DatabaseKind.Postgres)
        {
            command.CommandText = SeenPostgres;
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = deliveries.Select(d => d.Provider).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = deliveries.Select(d => d.Event.EventId).ToArray() });
        }
        else
        {
            command.CommandText = SeenSqlite;
            command.Parameters.Add(new SqliteParameter("$1", Pairs(deliveries.Select(d => (d.Provider, d.Event.EventId)))));
        }
        var seen = new HashSet<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) seen.Add((reader.GetString(0), reader.GetString(1)));
        return seen;
    }

    /// <summary>Every payment the deliveries may concern (by our id, the provider's id or the reference), locked.</summary>
    public async Task<List<Payment>> LockAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken ct)
    {
        var ids = deliveries.Select(d => d.Event.PaymentId).OfType<string>().Distinct().ToArray();
        var byProviderId = deliveries.Where(d => d.Event.ProviderPaymentId is not null).Select(d => (d.Provider, d.Event.ProviderPaymentId!)).Distinct().ToArray();
        var byReference = deliveries.Where(d => d.Event.ProviderReference is not null).Select(d => (d.Provider, d.Event.ProviderReference!)).Distinct().ToArray();
        if (ids.Length + byProviderId.Length + byReference.Length == 0) return [];

        object[] parameters = kind == DatabaseKind.Postgres
            ?
            [
                TextArray("ids", ids),
                TextArray("pp", byProviderId.Select(k => k.Item1)), TextArray("pk", byProviderId.Select(k => k.Item2)),
                TextArray("rp", byReference.Select(k => k.Item1)), TextArray("rk", byReference.Select(k => k.Item2)),
            ]
            :
            [
                new SqliteParameter("@ids", JsonSerializer.Serialize(ids)),
                new SqliteParameter("@pk", Pairs(byProviderId)), new SqliteParameter("@rk", Pairs(byReference)),
            ];
        // Not composed further, so EF sends the SQL as written (FOR UPDATE stays at the top level).
        return await db.Payments.FromSqlRaw(kind == DatabaseKind.Postgres ? LockPostgres : LockSqlite, parameters).AsNoTracking().ToListAsync(ct);
    }

    /// <summary>
    /// A delivery's rows: its event, its audit rows (VALUES order is id order, as if added one by one)
    /// and, when it changed, the payment. On PostgreSQL that is ONE statement (data-modifying CTEs, all
    /// of which run): fewer statements to execute per delivery, and it fails or succeeds as a whole
    /// just the same, inside the delivery's savepoint. SQLite has no data-modifying CTEs; in process,
    /// three statements cost little more than one.
    /// </summary>
    public void AddWrites(StatementBatch batch, int owner, PaymentEvent e, IReadOnlyList<AuditEntry> audits, Payment? changed)
    {
        var args = new List<Arg>(8 + audits.Count * 5 + 7)
        {
            Text(e.Provider), Text(e.ExternalEventId), Text(e.EventType), Text(e.PaymentId), Time(e.ReceivedAt), Text(e.RawBody),
            Text(e.Verification), Text(e.Outcome),
        };
        args.AddRange(Data.Audit.InsertArgs(audits, kind));
        if (changed is not null) args.AddRange(UpdateArgs(changed));
        var sql = WritesSql.GetOrAdd((audits.Count, changed is not null, kind), static key => Writes(key.Audits, key.Update, key.Kind));
        Arg[] all = [.. args];
        foreach (var statement in sql) batch.Add(owner, statement, all);
    }

    /// <summary>The statement(s) for one delivery with that many audit rows, built once per shape.</summary>
    private static readonly ConcurrentDictionary<(int Audits, bool Update, DatabaseKind Kind), string[]> WritesSql = new();

    private static string[] Writes(int audits, bool update, DatabaseKind kind)
    {
        var insertAudit = Data.Audit.InsertSql(audits, before: 8);
        var updatePayment = update ? UpdateSql(before: 8 + audits * 5) : null;
        if (kind == DatabaseKind.Postgres)
            return [updatePayment is null ? $"WITH e AS ({InsertEvent}) {insertAudit}" : $"WITH e AS ({InsertEvent}), a AS ({insertAudit}) {updatePayment}"];
        // SQLite binds by name ($1…), so each statement can take the whole argument list.
        return updatePayment is null ? [InsertEvent, insertAudit] : [InsertEvent, insertAudit, updatePayment];
    }

    /// <summary>Only the payment's new state (after effects ran, which needed its event row first).</summary>
    public void AddPaymentUpdate(StatementBatch batch, int owner, Payment p) => batch.Add(owner, UpdateSql(before: 0), [.. UpdateArgs(p)]);

    /// <summary>The columns a settlement changes (see <see cref="Payments.PaymentSettler.Transition"/>), placeholders after <paramref name="before"/>.</summary>
    private static string UpdateSql(int before) =>
        $"UPDATE payments SET status = ${before + 1}, refunded_minor = ${before + 2}, updated_at = ${before + 3}, paid_at = ${before + 4}, " +
        $"failure_reason = ${before + 5}, provider_reference = ${before + 6} WHERE id = ${before + 7}";

    private Arg[] UpdateArgs(Payment p) =>
    [
        Text(p.Status.ToWire()), Arg.Long(p.RefundedMinor), Time(p.UpdatedAt), Time(p.PaidAt), Text(p.FailureReason), Text(p.ProviderReference), Text(p.Id),
    ];

    private static Arg Text(string? value) => Arg.Text(value);

    private Arg Time(DateTimeOffset? value) => Arg.Time(value, kind);

    private static NpgsqlParameter TextArray(string name, IEnumerable<string> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() };

    private static string Pairs(IEnumerable<(string, string)> pairs) => JsonSerializer.Serialize(pairs.Select(p => new[] { p.Item1, p.Item2 }));
}
