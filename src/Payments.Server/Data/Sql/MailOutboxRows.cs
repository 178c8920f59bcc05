using Microsoft.EntityFrameworkCore;
using Payments.Server.Data.Entities;

namespace Payments.Server.Data.Sql;

/// <summary>
/// Hand-written SQL of the mail outbox: the insert a feature makes inside its own transaction (one row per
/// event, a second insert of the same event writes nothing), and the worker's claim and record, which
/// several nodes compete for.
/// </summary>
public static class MailOutboxRows
{
    private const string Insert =
        "INSERT INTO mail_outbox (kind, dedupe_key, recipient, subject, text_body, html_body, message_id, status, attempts, next_attempt_at, created_at, updated_at) " +
        "VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, 'pending', 0, {7}, {7}, {7}) ON CONFLICT (dedupe_key) DO NOTHING";

#pragma warning disable EF1002, EF1003 // constant SQL and the dialect's fixed fragments; values travel as parameters
    /// <summary>
    /// Writes the mail in the caller's open transaction (the statement runs at once on its connection).
    /// ON CONFLICT rather than a read first: two transactions applying the same event at once both try,
    /// and the UNIQUE index lets one row through without failing the other's change.
    /// </summary>
    /// <returns>True when the row is new; false when the event already had its mail.</returns>
    public static async Task<bool> InsertAsync(PaymentsDb db, MailOutboxRow row, CancellationToken ct) =>
        await db.Database.ExecuteSqlRawAsync(Insert,
        [
            row.Kind, row.DedupeKey, row.Recipient, row.Subject, row.TextBody, (object?)row.HtmlBody ?? DBNull.Value, row.MessageId,
            SqlDialect.Of(db).TimeValue(row.CreatedAt),
        ], ct) == 1;

    /// <summary>
    /// Takes up to <paramref name="limit"/> mails that are due and not held by anyone (or whose holder's lease
    /// ran out: a node that died) and holds them until <paramref name="leaseUntil"/>. One statement, rows
    /// another node is claiming skipped (PostgreSQL) or the only writer (SQLite), so no mail is taken twice at once.
    /// </summary>
    public static Task<List<long>> ClaimAsync(PaymentsDb db, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct)
    {
        var dialect = SqlDialect.Of(db);
        var sql =
            "UPDATE mail_outbox SET locked_until = {0} WHERE id IN (" +
            "SELECT m.id FROM mail_outbox m WHERE m.status = 'pending' AND m.next_attempt_at <= {1} " +
            "AND (m.locked_until IS NULL OR m.locked_until < {1}) " +
            $"ORDER BY m.next_attempt_at, m.id LIMIT {{2}}{dialect.SkipLocked}) RETURNING id AS \"Value\"";
        return db.Database.SqlQueryRaw<long>(sql, dialect.TimeValue(leaseUntil), dialect.TimeValue(now), limit).ToListAsync(ct);
    }
#pragma warning restore EF1002, EF1003

    /// <summary>
    /// Records an attempt, only while this node still holds the lease it claimed the row with (had the lease
    /// run out and another node taken the row, that node records). False when the lease was lost.
    /// </summary>
    public static async Task<bool> RecordAsync(PaymentsDb db, long id, DateTimeOffset lease, string status, int attempts,
        DateTimeOffset nextAttemptAt, DateTimeOffset? sentAt, string? error, DateTimeOffset now, CancellationToken ct) =>
        await db.MailOutbox.Where(m => m.Id == id && m.LockedUntil == lease).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, status)
            .SetProperty(m => m.Attempts, attempts)
            .SetProperty(m => m.NextAttemptAt, nextAttemptAt)
            .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null)
            .SetProperty(m => m.SentAt, sentAt)
            .SetProperty(m => m.LastError, error)
            .SetProperty(m => m.UpdatedAt, now), ct) == 1;
}
