using Microsoft.EntityFrameworkCore;
using Payments.Core.Credits;
using Payments.Core.Payments;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Payments;

using Payments.Server.Features.Outbox;

namespace Payments.Server.Features.Credits;

/// <summary>
/// What a credits payment does to the ledger, in the same transaction that settles it:
/// <list type="bullet">
/// <item>succeeded → the bought credits, and on a referred user's first purchase of at least $10
/// the referral bonus for them and their referrer;</item>
/// <item>(partially) refunded → take back, in proportion to the refunded total, what the payment
/// granted (bought credits and the buyer's bonus; the referrer keeps theirs). The balance may go
/// negative; spending then waits until it is positive again.</item>
/// </list>
/// Exactly once because settlement holds the payment's row lock and every posting has a UNIQUE key
/// (the grant by payment, the bonus by referred user, a take-back by refunded total).
/// </summary>
public sealed class CreditEffects : IPaymentEffects
{
    /// <summary>Credits payments are the ones without a plan (see <see cref="PurchaseResolver"/>); only their
    /// success and refunds move credits.</summary>
    public bool AppliesTo(Payment payment, SettlementDecision decision) =>
        payment.Plan is null && decision.Status.IsPaid();

    public async Task ApplyAsync(PaymentsDb db, Payment payment, SettlementDecision decision, DateTimeOffset now, CancellationToken ct)
    {
        if (!AppliesTo(payment, decision)) return;
        var purchase = await db.CreditPurchases.AsNoTracking().FirstOrDefaultAsync(p => p.PaymentId == payment.Id, ct);
        if (purchase is null) return; // not a credits payment

        var ledger = new CreditLedger(db);
        var account = await ledger.LockAccountAsync(purchase.UserId, now, ct);
        if (decision.Status == PaymentStatus.Succeeded)
            await GrantAsync(db, ledger, account, purchase, payment, now, ct);
        else
            await TakeBackAsync(db, ledger, purchase, payment, decision.RefundedMinor, now, ct);
    }

    private static async Task GrantAsync(
        PaymentsDb db, CreditLedger ledger, CreditAccount buyer, CreditPurchase purchase, Payment payment, DateTimeOffset now, CancellationToken ct)
    {
        // A payment succeeds once (the state machine has no way back to succeeded), but a grant that
        // exists is left alone rather than failing the settlement on the unique key.
        var transactions = await ledger.OfPaymentAsync(payment.Id, ct);
        if (transactions.Any(t => t.Kind == CreditKind.Purchase.ToWire())) return;

        // Read before this purchase is posted, under the buyer's lock: two first purchases completing
        // at once are serialized here, and the second sees the first.
        var hadEarlierPurchase = await ledger.HasAnyAsync(CreditKind.Purchase, purchase.UserId, payment.Id, ct);
        var bonusPaid = await ledger.HasAnyAsync(CreditKind.ReferralBonus, purchase.UserId, null, ct);

        ledger.Post(CreditRules.Purchase(purchase.UserId, payment.Id, purchase.Credits), payment.Id, payment.Description, now);
        db.Add(now, "credits.grant", "system", payment.Id, new { user_id = purchase.UserId, credits = purchase.Credits, package = purchase.Package });
        db.Outbox.Add(HostEvents.ForCredits(HostEvents.CreditsGranted, new(purchase.UserId, purchase.Credits, "purchase", payment.Id), now));

        if (!CreditRules.EarnsReferralBonus(buyer.ReferredByCode is not null, hadEarlierPurchase, bonusPaid, payment.Amount)) return;
        var referrer = await ledger.AccountByCodeAsync(buyer.ReferredByCode!, ct);
        if (referrer is null || referrer.UserId == buyer.UserId) return; // codes are never deleted; defensive
        ledger.Post(CreditRules.ReferralBonus(buyer.UserId, referrer.UserId), payment.Id, "Referral bonus", now);
        db.Add(now, "credits.referral_bonus", "system", payment.Id, new
        {
            user_id = buyer.UserId, referrer = referrer.UserId, credits_each = CreditRules.ReferralBonusCredits,
        });
        foreach (var user in new[] { buyer.UserId, referrer.UserId })
            db.Outbox.Add(HostEvents.ForCredits(HostEvents.CreditsGranted, new(user, CreditRules.ReferralBonusCredits, "referral_bonus", payment.Id), now));
    }

    private static async Task TakeBackAsync(
        PaymentsDb db, CreditLedger ledger, CreditPurchase purchase, Payment payment, long refundedTotal, DateTimeOffset now, CancellationToken ct)
    {
        var transactions = await ledger.OfPaymentAsync(payment.Id, ct);
        var user = CreditAccounts.User(purchase.UserId);
        long Sum(CreditKind kind, string account) =>
            transactions.Where(t => t.Kind == kind.ToWire()).SelectMany(t => t.Entries).Where(e => e.Account == account).Sum(e => e.Amount);

        var granted = new CreditSplit(Sum(CreditKind.Purchase, user), Sum(CreditKind.ReferralBonus, user));
        var taken = new CreditSplit(Sum(CreditKind.Refund, CreditAccounts.Sales), Sum(CreditKind.Refund, CreditAccounts.Bonus));
        var takeBack = CreditRules.TakeBack(granted, taken, payment.AmountMinor, refundedTotal);
        if (CreditRules.Refund(purchase.UserId, payment.Id, refundedTotal, takeBack) is not { } posting) return;

        ledger.Post(posting, payment.Id, null, now);
        db.Add(now, "credits.take_back", "system", payment.Id, new
        {
            user_id = purchase.UserId, credits = takeBack.Total, bought = takeBack.Purchased, bonus = takeBack.Bonus, refunded = refundedTotal,
        });
        db.Outbox.Add(HostEvents.ForCredits(HostEvents.CreditsTakenBack, new(purchase.UserId, takeBack.Total, "refund", payment.Id), now));
    }
}
