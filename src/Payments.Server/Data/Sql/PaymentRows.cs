using Microsoft.EntityFrameworkCore;
using Payments.Core.Payments;
using Payments.Server.Data.Entities;

namespace Payments.Server.Data.Sql;

/// <summary>
/// Hand-written SQL on the payments table: locking reads, and the one UPDATE a settlement writes,
/// made from <see cref="PaymentState.Columns"/> so every writer (webhook batch, verify, capture,
/// refunds — the last three through EF, changing exactly those properties) writes the same columns.
/// </summary>
public sealed class PaymentRows(PaymentsDb db, SqlDialect dialect)
{
    /// <summary>The settled columns by name, then the id: <c>UPDATE payments SET status = $1, … WHERE id = $n</c>.</summary>
    private static readonly string UpdateSettled =
        "UPDATE payments SET " + string.Join(", ", PaymentState.Columns.Select((c, i) => $"{c.Name} = ${i + 1}")) +
        $" WHERE id = ${PaymentState.Columns.Length + 1}";

    /// <summary>The payment's settled state as a <see cref="RowWrite"/>.</summary>
    public RowWrite Settle(Payment p)
    {
        var args = new Arg[PaymentState.Columns.Length + 1];
        for (var i = 0; i < PaymentState.Columns.Length; i++) args[i] = PaymentState.Columns[i].Value(p, dialect);
        args[^1] = Arg.Text(p.Id);
        return new RowWrite(UpdateSettled, args);
    }

    // EF1002/EF1003: the SQL text is built only from constants; values travel as parameters.
#pragma warning disable EF1002, EF1003
    /// <summary>Reads a payment for change, inside the caller's write transaction (row-locked on PostgreSQL).</summary>
    public async Task<Payment?> LockByIdAsync(string paymentId, CancellationToken ct)
    {
        var rows = await db.Payments.FromSqlRaw("SELECT * FROM payments WHERE id = {0}" + dialect.RowLock, paymentId).ToListAsync(ct);
        return rows.FirstOrDefault();
    }
#pragma warning restore EF1002, EF1003

    /// <summary>Every payment some events may concern (by our id, the provider's id or the reference), locked, untracked.</summary>
    public async Task<List<Payment>> LockForEventsAsync(
        IReadOnlyList<string> ids, IReadOnlyList<(string, string)> byProviderId, IReadOnlyList<(string, string)> byReference, CancellationToken ct)
    {
        if (ids.Count + byProviderId.Count + byReference.Count == 0) return [];
        var (sql, parameters) = dialect.LockPayments(ids, byProviderId, byReference);
        // Not composed further, so EF sends the SQL as written (FOR UPDATE stays at the top level).
        return await db.Payments.FromSqlRaw(sql, parameters).AsNoTracking().ToListAsync(ct);
    }
}
