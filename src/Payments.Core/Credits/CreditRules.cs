using Payments.Core.Money;

namespace Payments.Core.Credits;

/// <summary>Credits a payment gave its buyer: the credits bought, and the buyer's referral bonus if this purchase earned it.</summary>
public readonly record struct CreditSplit(long Purchased, long Bonus)
{
    public long Total => checked(Purchased + Bonus);
}

/// <summary>Whether a spend may go ahead, and if not, why.</summary>
public enum SpendVerdict { Allowed, InvalidAmount, Insufficient, NegativeBalance }

/// <summary>
/// The credit rules as pure functions (seed 003): 1 credit = 1 US cent, so $10 buys 1,000 credits;
/// a referred user's first completed purchase of at least $10 earns them and their referrer $10 of
/// credits each; a refund takes back, in proportion, what its payment granted; a spend needs a
/// balance that covers it. The server reads the facts from its ledger, asks these functions what
/// to post, and stores the postings; the property tests run the same functions against a model.
/// </summary>
public static class CreditRules
{
    /// <summary>Credits are sold in US dollars, one cent each.</summary>
    public static readonly Currency PriceCurrency = Currency.Of("USD");

    /// <summary>$10 in credits, for the referred buyer and again for the referrer.</summary>
    public const long ReferralBonusCredits = 1_000;

    /// <summary>The smallest first purchase that earns the referral bonus: $10.00.</summary>
    public static readonly Money.Money ReferralMinimumPurchase = new(1_000, PriceCurrency);

    /// <summary>The price of <paramref name="credits"/> credits: one US cent each.</summary>
    public static Money.Money PriceOf(long credits) =>
        credits > 0 ? new Money.Money(credits, PriceCurrency) : throw new ArgumentOutOfRangeException(nameof(credits), credits, "Credits are a positive number.");

    /// <summary>Bought credits move from the platform's sales account to the buyer.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="credits"/> is not positive: a negative purchase would take credits away.</exception>
    public static CreditPosting Purchase(string buyer, string paymentId, long credits)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(credits);
        return CreditPosting.Create(CreditKind.Purchase, buyer, paymentId,
            new CreditEntry(CreditAccounts.User(buyer), credits),
            new CreditEntry(CreditAccounts.Sales, -credits));
    }

    /// <summary>
    /// Seed 003: "If user has referred_by_code and has_made_first_purchase = false … only applied once
    /// (first purchase &gt;= $10)". Only the first completed purchase counts: a smaller first purchase
    /// uses up the chance, as the seed's flag does.
    /// </summary>
    public static bool EarnsReferralBonus(bool hasReferrer, bool hadEarlierPurchase, bool bonusAlreadyPaid, Money.Money paid) =>
        hasReferrer && !hadEarlierPurchase && !bonusAlreadyPaid
        && paid.Currency == PriceCurrency && paid >= ReferralMinimumPurchase;

    /// <summary>Both bonuses in one posting keyed by the referred user, so it can exist once per referred user.</summary>
    public static CreditPosting ReferralBonus(string buyer, string referrer)
    {
        if (buyer == referrer) throw new ArgumentException("A user cannot refer themselves.", nameof(referrer));
        return CreditPosting.Create(CreditKind.ReferralBonus, buyer, buyer,
            new CreditEntry(CreditAccounts.User(buyer), ReferralBonusCredits),
            new CreditEntry(CreditAccounts.User(referrer), ReferralBonusCredits),
            new CreditEntry(CreditAccounts.Bonus, -2 * ReferralBonusCredits));
    }

    /// <summary>
    /// What a refund takes back now: <c>floor(granted × refunded / paid) − already taken</c>, for the
    /// bought credits and the buyer's bonus separately (each goes back to where it came from).
    /// <paramref name="refundedTotal"/> is cumulative, so partial refunds reported several times or
    /// out of order never take more, and a full refund takes back exactly what was granted.
    /// </summary>
    public static CreditSplit TakeBack(CreditSplit granted, CreditSplit alreadyTaken, long paid, long refundedTotal)
    {
        if (paid <= 0) throw new ArgumentOutOfRangeException(nameof(paid), paid, "A paid amount is positive.");
        var refunded = Math.Clamp(refundedTotal, 0, paid);
        return new CreditSplit(
            Math.Max(0, Proportion(granted.Purchased, refunded, paid) - alreadyTaken.Purchased),
            Math.Max(0, Proportion(granted.Bonus, refunded, paid) - alreadyTaken.Bonus));
    }

    /// <summary>The buyer gives the credits back; they return to the accounts they came from.</summary>
    /// <returns>Null when there is nothing to take back (a refund too small to be worth a whole credit yet).</returns>
    public static CreditPosting? Refund(string buyer, string paymentId, long refundedTotal, CreditSplit takeBack)
    {
        if (takeBack.Total == 0) return null;
        var entries = new List<CreditEntry> { new(CreditAccounts.User(buyer), -takeBack.Total) };
        if (takeBack.Purchased > 0) entries.Add(new CreditEntry(CreditAccounts.Sales, takeBack.Purchased));
        if (takeBack.Bonus > 0) entries.Add(new CreditEntry(CreditAccounts.Bonus, takeBack.Bonus));
        return CreditPosting.Create(CreditKind.Refund, buyer, RefundReference(paymentId, refundedTotal), [.. entries]);
    }

    /// <summary>One take-back per payment and refunded total: the same total reported twice cannot take twice.</summary>
    public static string RefundReference(string paymentId, long refundedTotal) => $"{paymentId}:{refundedTotal}";

    /// <summary>
    /// A spend needs a balance that covers it. A balance a refund drove below zero blocks every
    /// spend until purchases bring it back above zero.
    /// </summary>
    public static SpendVerdict CheckSpend(long balance, long amount) =>
        amount <= 0 ? SpendVerdict.InvalidAmount
        : balance < 0 ? SpendVerdict.NegativeBalance
        : balance < amount ? SpendVerdict.Insufficient
        : SpendVerdict.Allowed;

    /// <summary>Spent credits leave the user for the platform's spent account.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is not positive: a negative spend would give credits
    /// (callers refuse it first with <see cref="CheckSpend"/>; this guard keeps the rule true without them).</exception>
    public static CreditPosting Spend(string user, string reference, long amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        return CreditPosting.Create(CreditKind.Spend, user, reference,
            new CreditEntry(CreditAccounts.User(user), -amount),
            new CreditEntry(CreditAccounts.Spent, amount));
    }

    /// <summary>
    /// <c>floor(granted × refunded / paid)</c> through the one 128-bit multiply-divide in Money; a
    /// credit is one US cent, so credits are amounts of <see cref="PriceCurrency"/>. Rounding is
    /// toward zero as before, and with <c>0 ≤ refunded ≤ paid</c> the result never exceeds
    /// <paramref name="granted"/>, so MultiplyRatio's overflow check cannot fire.
    /// </summary>
    private static long Proportion(long granted, long refunded, long paid) =>
        new Money.Money(granted, PriceCurrency).MultiplyRatio(refunded, paid).Minor;
}
