using Microsoft.EntityFrameworkCore;
using Payments.Core;
using Payments.Core.Marketplace;
using Payments.Core.Money;
using Payments.Core.Payments;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Payments;

namespace Payments.Server.Features.Vendors;

/// <summary>One currency's balance as the API shows it.</summary>
public sealed record CurrencyBalance(string Currency, long Amount, string AmountDisplay);

/// <summary>
/// The marketplace ledger's storage (the credits ledger's shape): balanced postings added to the caller's unit of work,
/// balances as sums of entries per currency, and what a payment has posted so far (stored and not yet saved).
/// </summary>
public static class MarketLedger
{
    public static MarketTransaction Post(PaymentsDb db, MarketPosting posting, DateTimeOffset now)
    {
        var transaction = new MarketTransaction
        {
            Id = Ids.New("mtx", now), Kind = KindName(posting.Kind), PaymentId = posting.PaymentId, VendorId = posting.VendorId,
            Reference = posting.Reference, CreatedAt = now,
            Entries = posting.Entries.Select(e => new MarketEntryRow { Account = e.Account, Currency = posting.Currency.Code, Amount = e.Amount }).ToList(),
        };
        db.MarketTransactions.Add(transaction);
        return transaction;
    }

    public static string KindName(MarketKind kind) => kind switch
    {
        MarketKind.Sale => "sale",
        MarketKind.Refund => "refund",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static async Task<IReadOnlyList<MarketTransaction>> OfPaymentAsync(PaymentsDb db, string paymentId, CancellationToken ct)
    {
        var stored = await db.MarketTransactions.AsNoTracking().Include(t => t.Entries).Where(t => t.PaymentId == paymentId).ToListAsync(ct);
        var unsaved = db.ChangeTracker.Entries<MarketTransaction>()
            .Where(e => e.State == EntityState.Added && e.Entity.PaymentId == paymentId).Select(e => e.Entity);
        return [.. stored, .. unsaved];
    }

    /// <summary>An account's balance per currency (sums of its entries), currencies in code order.</summary>
    public static async Task<IReadOnlyList<CurrencyBalance>> BalancesAsync(PaymentsDb db, string account, CancellationToken ct)
    {
        var sums = await db.MarketEntries.AsNoTracking().Where(e => e.Account == account)
            .GroupBy(e => e.Currency).Select(g => new { Currency = g.Key, Amount = g.Sum(e => e.Amount) }).ToListAsync(ct);
        return sums.OrderBy(s => s.Currency, StringComparer.Ordinal)
            .Select(s => new CurrencyBalance(s.Currency, s.Amount, new Money(s.Amount, Currency.Of(s.Currency)).ToString())).ToList();
    }
}

/// <summary>
/// What a destination charge does to the marketplace ledger, in the transaction that settles it: on success, the
/// customer's payment split into the vendor's share and the platform's fee; on a (partial) refund, the proportional
/// take-back of <see cref="MarketRules.Refund"/>. Exactly once: settlement holds the payment's row, and the
/// (kind, payment, reference) key refuses a second sale or a second take-back for the same refunded total.
/// </summary>
public sealed class VendorLedgerEffects : IPaymentEffects
{
    public const string ScopePrefix = "vendor:";

    /// <summary>Vendor payments (destination charges) are the ones whose reference scope is their vendor (one payment per vendor and order).</summary>
    public static bool IsVendorPayment(Payment payment) => payment.ReferenceScope?.StartsWith(ScopePrefix, StringComparison.Ordinal) == true;

    public bool AppliesTo(Payment payment, SettlementDecision decision) => IsVendorPayment(payment) && decision.Status.IsPaid();

    public async Task ApplyAsync(PaymentsDb db, Payment payment, SettlementDecision decision, DateTimeOffset now, CancellationToken ct)
    {
        if (!AppliesTo(payment, decision)) return;
        var split = await db.VendorPayments.AsNoTracking().FirstOrDefaultAsync(v => v.PaymentId == payment.Id, ct);
        if (split is null) return;
        var amounts = new Split(payment.Amount, new Money(split.AmountVendorMinor, payment.Amount.Currency), new Money(split.PlatformFeeMinor, payment.Amount.Currency));
        var posted = await MarketLedger.OfPaymentAsync(db, payment.Id, ct);

        if (!posted.Any(t => t.Kind == "sale"))
        {
            // A refund report can prove the payment too; the sale is posted first either way.
            MarketLedger.Post(db, MarketRules.Sale(payment.Id, split.VendorId, amounts), now);
            db.Add(now, "marketplace.sale", "system", payment.Id,
                new { vendor_id = split.VendorId, total = payment.AmountMinor, vendor = split.AmountVendorMinor, fee = split.PlatformFeeMinor, currency = payment.Currency });
        }
        if (decision.Status == PaymentStatus.Succeeded) return;

        var refunds = posted.Where(t => t.Kind == "refund").SelectMany(t => t.Entries).ToList();
        var takenFee = -refunds.Where(e => e.Account == MarketAccounts.Fees).Sum(e => e.Amount);
        var takenVendor = -refunds.Where(e => e.Account == MarketAccounts.Vendor(split.VendorId)).Sum(e => e.Amount);
        if (MarketRules.Refund(payment.Id, split.VendorId, amounts, decision.RefundedMinor, takenFee, takenVendor) is not { } posting) return;
        MarketLedger.Post(db, posting, now);
        db.Add(now, "marketplace.refund", "system", payment.Id, new
        {
            vendor_id = split.VendorId, refunded = decision.RefundedMinor,
            fee_back = -posting.AmountFor(MarketAccounts.Fees), vendor_back = -posting.AmountFor(MarketAccounts.Vendor(split.VendorId)),
        });
    }
}
