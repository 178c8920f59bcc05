using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Payments.Server.Data.Entities;

namespace Payments.Server.Data.Sql;

/// <summary>A record's new state, as one statement numbering its placeholders from <c>$1</c>.</summary>
public sealed record RowWrite(string Sql, Arg[] Args);

/// <summary>
/// The SQL of webhook intake, whatever record the events concern: which events are already recorded,
/// and the rows one delivery writes — its event, its audit rows and (from the record type's handler)
/// the record's new state, sent as one statement on PostgreSQL (<see cref="SqlDialect.Chain"/>).
/// </summary>
public sealed class WebhookEventRows(PaymentsDb db, SqlDialect dialect)
{
    public const string Savepoint = "SAVEPOINT delivery";
    public const string Release = "RELEASE SAVEPOINT delivery";
    public const string RollbackTo = "ROLLBACK TO SAVEPOINT delivery";

    /// <summary>UNIQUE (provider, external event id): the gate that records each event once.</summary>
    private const string EventIndex = "ix_payment_events_provider_external_event_id";

    private const string InsertEvent =
        "INSERT INTO payment_events (provider, external_event_id, event_type, payment_id, received_at, raw_body, verification, outcome, record_type, record_id) " +
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

    private const int EventArgs = 10;

    /// <summary>
    /// (provider, event id) pairs already recorded by a committed transaction. A fast path only: such a
    /// delivery would fail the insert anyway; the UNIQUE index stays the gate for everything concurrent.
    /// </summary>
    public async Task<HashSet<(string, string)>> SeenAsync(IReadOnlyList<(string Provider, string EventId)> keys, CancellationToken ct)
    {
        var (sql, parameters) = dialect.SeenEvents(keys);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        command.CommandText = sql;
        command.Parameters.AddRange(parameters);
        var seen = new HashSet<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) seen.Add((reader.GetString(0), reader.GetString(1)));
        return seen;
    }

    /// <summary>A delivery's rows: its event, its audit rows (VALUES order is id order) and the handler's writes.</summary>
    public void AddWrites(StatementBatch batch, int owner, PaymentEvent e, IReadOnlyList<AuditEntry> audits, IReadOnlyList<RowWrite> writes)
    {
        var args = new List<Arg>(EventArgs + audits.Count * 5 + writes.Sum(w => w.Args.Length))
        {
            Arg.Text(e.Provider), Arg.Text(e.ExternalEventId), Arg.Text(e.EventType), Arg.Text(e.PaymentId), dialect.Time(e.ReceivedAt),
            Arg.Text(e.RawBody), Arg.Text(e.Verification), Arg.Text(e.Outcome), Arg.Text(e.RecordType), Arg.Text(e.RecordId),
        };
        List<(string, int)> statements = [(InsertEvent, EventArgs)];
        if (audits.Count > 0)
        {
            statements.Add((Audit.InsertSql(audits.Count), audits.Count * 5));
            args.AddRange(Audit.InsertArgs(audits, dialect.Kind));
        }
        foreach (var write in writes)
        {
            statements.Add((write.Sql, write.Args.Length));
            args.AddRange(write.Args);
        }
        Arg[] all = [.. args];
        foreach (var statement in dialect.Chain(statements)) batch.Add(owner, statement, all);
    }

    /// <summary>Only a record's new state (after effects ran, which needed the event row first).</summary>
    public static void AddWrite(StatementBatch batch, int owner, RowWrite write) => batch.Add(owner, write.Sql, write.Args);

    /// <summary>True when <paramref name="error"/> is the event index refusing a second copy of an event.</summary>
    public static bool IsDuplicate(DbException error) =>
        DbErrors.IsUniqueViolation(error, EventIndex, "payment_events.provider", "payment_events.external_event_id");
}
