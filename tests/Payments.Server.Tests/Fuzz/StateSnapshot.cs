using Microsoft.EntityFrameworkCore;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Fuzz;

/// <summary>
/// What hostile input must never change: payments (their money state), refunds, the credit ledger and
/// the outbox. Timestamps a read may touch (checked_at, updated_at) are left out; everything that
/// says how much, which status and to whom is in. Compared as text so a failure shows the difference.
/// </summary>
public static class StateSnapshot
{
    public static async Task<IReadOnlyList<string>> TakeAsync(PaymentsApp app)
    {
        await using var db = app.Db();
        var c = db.Context;
        var rows = new List<string>();
        rows.AddRange((await c.Payments.AsNoTracking().OrderBy(p => p.Id).ToListAsync()).Select(p =>
            $"payment {p.Id} {p.Status} {p.AmountMinor} {p.Currency} refunded={p.RefundedMinor} provider={p.Provider}:{p.ProviderPaymentId}/{p.ProviderReference} paid={p.PaidAt:O} failure={p.FailureReason}"));
        rows.AddRange((await c.Refunds.AsNoTracking().OrderBy(r => r.Id).ToListAsync()).Select(r =>
            $"refund {r.Id} {r.PaymentId} {r.AmountMinor} {r.Currency} {r.Status} provider={r.ProviderRefundId} by={r.RequestedBy}"));
        rows.AddRange((await c.CreditTransactions.AsNoTracking().OrderBy(t => t.Id).ToListAsync()).Select(t => $"credit-tx {t.Id} {t.UserId} {t.Kind}"));
        rows.AddRange((await c.CreditEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync()).Select(e => $"credit-entry {e.Id} {e.TransactionId} {e.Amount}"));
        rows.AddRange((await c.Outbox.AsNoTracking().OrderBy(o => o.Id).ToListAsync()).Select(o => $"outbox {o.Id} {o.Type} {o.ResourceType}:{o.ResourceId}"));
        return rows;
    }

    /// <summary>Throws naming the rows that differ.</summary>
    public static void AssertSame(IReadOnlyList<string> before, IReadOnlyList<string> after, string afterWhat)
    {
        if (before.SequenceEqual(after)) return;
        var gone = before.Except(after).Select(r => "- " + r);
        var added = after.Except(before).Select(r => "+ " + r);
        throw new Xunit.Sdk.XunitException($"State changed after {afterWhat}:\n{string.Join("\n", gone.Concat(added).Take(20))}");
    }
}
