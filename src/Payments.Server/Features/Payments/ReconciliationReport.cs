using Microsoft.EntityFrameworkCore;
using Payments.Core.Credits;
using Payments.Core.Money;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Payments;

/// <summary>One way our records and the provider's (or our own ledger) disagree about a payment.</summary>
/// <param name="Subject">The payment (<c>pay_…</c>) or ledger transaction (<c>ctx_…</c>) it is about.</param>
/// <param name="Field">status, amount, currency, refunded, refund_rows, credits, ledger or unreachable.</param>
public sealed record ReconciliationDifference(string Subject, string Provider, string Field, string Ours, string Theirs)
{
    public override string ToString() => $"{Subject}  {Provider,-7}  {Field}: ours {Ours}, {(Field is "refund_rows" or "credits" or "ledger" ? "expected" : "provider")} {Theirs}";
}

/// <summary>What a report found, and over how much.</summary>
public sealed record ReconciliationFindings(int Payments, IReadOnlyList<ReconciliationDifference> Differences)
{
    /// <summary>Payments the provider could not be asked about (down, disabled): the report is incomplete for them.</summary>
    public IEnumerable<ReconciliationDifference> Unreachable => Differences.Where(d => d.Field == "unreachable");

    public IEnumerable<ReconciliationDifference> Disagreements => Differences.Where(d => d.Field != "unreachable");
}

/// <summary>
/// Read-only reconciliation (<c>payments-cli reconcile report</c>): every payment that reached its provider
/// is asked about (<see cref="ICheckoutProvider.GetPaymentAsync"/>, as verify and the worker do) and compared
/// field by field with our row: status, amount, currency, refunded total. Our own books are checked too: the
/// refund rows must add up to the payment's refunded total, a credits payment must have granted exactly what
/// it sold and taken back exactly its refunded share, and every ledger transaction must balance. Nothing is
/// changed: the worker and verify heal; this says what there is to heal, or what nobody can.
/// </summary>
public sealed class ReconciliationReport(PaymentsDb db, ProviderRegistry providers)
{
    public async Task<ReconciliationFindings> RunAsync(DateTimeOffset since, string? provider, CancellationToken ct)
    {
        var payments = await db.Payments.AsNoTracking()
            .Where(p => p.CreatedAt >= since && p.ProviderPaymentId != null && (provider == null || p.Provider == provider))
            .OrderBy(p => p.CreatedAt).ThenBy(p => p.Id)
            .ToListAsync(ct);
        var differences = new List<ReconciliationDifference>();
        foreach (var payment in payments)
        {
            differences.AddRange(await WithProviderAsync(payment, ct));
            differences.AddRange(await WithOwnBooksAsync(payment, ct));
        }
        differences.AddRange(await UnbalancedTransactionsAsync(since, ct));
        return new ReconciliationFindings(payments.Count, differences);
    }

    private async Task<IEnumerable<ReconciliationDifference>> WithProviderAsync(Payment ours, CancellationToken ct)
    {
        ProviderPayment theirs;
        try
        {
            theirs = await providers.Get<ICheckoutProvider>(ours.Provider).GetPaymentAsync(ours.ProviderPaymentId!, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return [new(ours.Id, ours.Provider, "unreachable", ours.Status.ToWire(), $"not asked: {e.Message.ReplaceLineEndings(" ")}")];
        }
        return Compare(ours, theirs);
    }

    /// <summary>Our row against the provider's answer. Pure, so the table of what agrees is tested directly.</summary>
    public static IEnumerable<ReconciliationDifference> Compare(Payment ours, ProviderPayment theirs)
    {
        ReconciliationDifference Diff(string field, string o, string t) => new(ours.Id, ours.Provider, field, o, t);
        if (!Agrees(ours.Status, theirs.Status))
            yield return Diff("status", ours.Status.ToWire(), theirs.Status == ProviderPaymentStatus.Unknown ? "unknown (no such payment)" : Wire(theirs.Status));
        if (theirs.Amount is { } charged)
        {
            if (charged.Currency.Code != ours.Currency) yield return Diff("currency", ours.Currency, charged.Currency.Code);
            else if (charged.Minor != ours.AmountMinor) yield return Diff("amount", ours.Amount.ToString(), charged.ToString());
        }
        if (theirs.RefundedTotal is { } refunded && refunded.Currency.Code == ours.Currency && refunded.Minor != ours.RefundedMinor)
            yield return Diff("refunded", ours.Refunded.ToString(), refunded.ToString());
    }

    /// <summary>
    /// Whether the provider's status is one ours may stand beside. Paid (refunded or not) needs the provider's
    /// success; open needs open; failed may still be open at the provider (a declined card leaves a Stripe
    /// session or a PayPal order open for another try); a conflicted payment always needs a person.
    /// </summary>
    public static bool Agrees(PaymentStatus ours, ProviderPaymentStatus theirs) => ours switch
    {
        PaymentStatus.Succeeded or PaymentStatus.PartiallyRefunded or PaymentStatus.Refunded => theirs == ProviderPaymentStatus.Succeeded,
        PaymentStatus.Created or PaymentStatus.Pending => theirs == ProviderPaymentStatus.Pending,
        PaymentStatus.Failed => theirs is ProviderPaymentStatus.Declined or ProviderPaymentStatus.Pending,
        PaymentStatus.Canceled => theirs is ProviderPaymentStatus.Canceled or ProviderPaymentStatus.Expired,
        PaymentStatus.Expired => theirs is ProviderPaymentStatus.Expired or ProviderPaymentStatus.Canceled,
        _ => false,
    };

    private static string Wire(ProviderPaymentStatus status) => status switch
    {
        ProviderPaymentStatus.Declined => "declined",
        _ => status.ToString().ToLowerInvariant(),
    };

    private async Task<IEnumerable<ReconciliationDifference>> WithOwnBooksAsync(Payment payment, CancellationToken ct)
    {
        var found = new List<ReconciliationDifference>();
        var refunds = await db.Refunds.AsNoTracking().Where(r => r.PaymentId == payment.Id && r.Status == Refund.Succeeded).ToListAsync(ct);
        var refundRows = refunds.Sum(r => r.AmountMinor);
        if (refundRows != payment.RefundedMinor)
            found.Add(new(payment.Id, payment.Provider, "refund_rows", $"{payment.Refunded} refunded",
                $"{new Money(refundRows, payment.Amount.Currency)} in succeeded refund rows"));

        if (await db.CreditPurchases.AsNoTracking().FirstOrDefaultAsync(c => c.PaymentId == payment.Id, ct) is { } purchase)
            found.AddRange(await CreditsAsync(payment, purchase, ct));
        return found;
    }

    /// <summary>A credits payment grants what it sold once it is paid, and takes back its refunded share (Core's <see cref="CreditRules"/>).</summary>
    private async Task<IEnumerable<ReconciliationDifference>> CreditsAsync(Payment payment, CreditPurchase purchase, CancellationToken ct)
    {
        var user = CreditAccounts.User(purchase.UserId);
        var entries = await db.CreditTransactions.AsNoTracking()
            .Where(t => t.PaymentId == payment.Id && t.UserId == purchase.UserId)
            .Join(db.CreditEntries.AsNoTracking(), t => t.Id, e => e.TransactionId, (t, e) => new { t.Kind, e.Account, e.Amount })
            .ToListAsync(ct);
        long Sum(CreditKind kind, string account) => entries.Where(e => e.Kind == kind.ToWire() && e.Account == account).Sum(e => e.Amount);

        var granted = new CreditSplit(Sum(CreditKind.Purchase, user), Sum(CreditKind.ReferralBonus, user));
        var taken = new CreditSplit(
            Sum(CreditKind.Refund, CreditAccounts.Sales), Sum(CreditKind.Refund, CreditAccounts.Bonus));
        var found = new List<ReconciliationDifference>();
        var shouldGrant = payment.Status.IsPaid() ? purchase.Credits : 0;
        if (granted.Purchased != shouldGrant)
            found.Add(new(payment.Id, payment.Provider, "credits", $"{granted.Purchased} credits granted", $"{shouldGrant} for a {payment.Status.ToWire()} purchase of {purchase.Credits}"));
        else if (payment.AmountMinor > 0)
        {
            var due = CreditRules.TakeBack(granted, default, payment.AmountMinor, payment.RefundedMinor);
            if (taken != due)
                found.Add(new(payment.Id, payment.Provider, "credits", $"{taken.Total} credits taken back",
                    $"{due.Total} for {payment.Refunded} refunded of {payment.Amount}"));
        }
        return found;
    }

    /// <summary>Double entry: every transaction's entries sum to zero.</summary>
    private async Task<IEnumerable<ReconciliationDifference>> UnbalancedTransactionsAsync(DateTimeOffset since, CancellationToken ct)
    {
        var unbalanced = await db.CreditEntries.AsNoTracking()
            .Join(db.CreditTransactions.AsNoTracking().Where(t => t.CreatedAt >= since), e => e.TransactionId, t => t.Id, (e, t) => e)
            .GroupBy(e => e.TransactionId)
            .Select(g => new { Id = g.Key, Sum = g.Sum(e => e.Amount) })
            .Where(g => g.Sum != 0)
            .ToListAsync(ct);
        return unbalanced.Select(u => new ReconciliationDifference(u.Id, "ledger", "ledger", $"entries sum to {u.Sum:+#;-#;0}", "0"));
    }
}
