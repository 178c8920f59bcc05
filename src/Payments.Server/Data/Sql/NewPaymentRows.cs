using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Payments.Core.Payments;
using Payments.Server.Data.Entities;

namespace Payments.Server.Data.Sql;

/// <summary>
/// Writes what create-intent records — the new payment, what it buys (credits), its audit rows — as
/// prepared plain SQL in one atomic write: one round trip on PostgreSQL (an implicit transaction),
/// BEGIN IMMEDIATE … COMMIT behind the write gate on SQLite.
/// <para>
/// Why not EF's SaveChanges: for these three or four inserts EF spent about a third of the request's
/// CPU sorting and batching commands and attaching the graph (perf, sequential create-intent on
/// SQLite; see bench/RESULTS.md). The columns are the EF model's (the payments row is read back
/// through EF everywhere else, which every create-intent test does); a column added to
/// <see cref="Payment"/> must be added here too.
/// </para>
/// </summary>
public static class NewPaymentRows
{
    private const string InsertPayment =
        "INSERT INTO payments (id, plan, description, amount_minor, currency, owner_id, provider, provider_payment_id, " +
        "provider_reference, status, refunded_minor, redirect_url, failure_reason, created_at, updated_at, paid_at, checked_at, " +
        "reference_scope, reference, metadata, expires_at, wallet) " +
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)";

    private const string InsertPurchase =
        "INSERT INTO credit_purchases (payment_id, user_id, credits, package) VALUES ($1, $2, $3, $4)";

    /// <param name="news">The host's outbox row when the payment is news already (failed at once).</param>
    /// <param name="extra">A row that belongs to the payment (a vendor payment's split), written right after it.</param>
    public static async Task WriteAsync(
        PaymentsDb db, Payment p, CreditPurchase? purchase, IReadOnlyList<AuditEntry> audits, OutboxEvent? news, CancellationToken ct,
        RowWrite? extra = null)
    {
        var dialect = SqlDialect.Of(db);
        if (dialect.CommitsInBatch)
        {
            // One batch without a transaction: PostgreSQL runs it as one implicit transaction (one Sync).
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                await SendAsync(new StatementBatch(db.Database.GetDbConnection(), null, dialect.Kind), dialect, p, purchase, audits, news, ct, extra);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
            return;
        }
        await using var tx = await db.BeginWriteAsync(ct);
        var batch = new StatementBatch(db.Database.GetDbConnection(), db.Database.CurrentTransaction!.GetDbTransaction(), dialect.Kind);
        await SendAsync(batch, dialect, p, purchase, audits, news, ct, extra);
        await tx.CommitAsync(ct);
    }

    private static async Task SendAsync(
        StatementBatch batch, SqlDialect dialect, Payment p, CreditPurchase? purchase, IReadOnlyList<AuditEntry> audits, OutboxEvent? news,
        CancellationToken ct, RowWrite? extra)
    {
        batch.Add(0, InsertPayment,
            Arg.Text(p.Id), Arg.Text(p.Plan), Arg.Text(p.Description), Arg.Long(p.AmountMinor), Arg.Text(p.Currency), Arg.Text(p.OwnerId),
            Arg.Text(p.Provider), Arg.Text(p.ProviderPaymentId), Arg.Text(p.ProviderReference), Arg.Text(p.Status.ToWire()),
            Arg.Long(p.RefundedMinor), Arg.Text(p.RedirectUrl), Arg.Text(p.FailureReason), dialect.Time(p.CreatedAt),
            dialect.Time(p.UpdatedAt), dialect.Time(p.PaidAt), dialect.Time(p.CheckedAt),
            Arg.Text(p.ReferenceScope), Arg.Text(p.Reference), Arg.Text(p.Metadata), dialect.Time(p.ExpiresAt), Arg.Text(p.Wallet));
        if (purchase is not null)
            batch.Add(0, InsertPurchase, Arg.Text(purchase.PaymentId), Arg.Text(purchase.UserId), Arg.Long(purchase.Credits), Arg.Text(purchase.Package));
        if (extra is not null) batch.Add(0, extra.Sql, extra.Args);
        if (audits.Count > 0) batch.Add(0, Audit.InsertSql(audits.Count), [.. Audit.InsertArgs(audits, dialect.Kind)]);
        if (news is not null && OutboxRows.InsertOf([news], dialect) is var outbox) batch.Add(0, outbox.Sql, outbox.Args);
        if (await batch.ExecuteAsync(ct) is { } failed) throw new DbUpdateException("Could not record the new payment.", failed.Error);
    }
}
