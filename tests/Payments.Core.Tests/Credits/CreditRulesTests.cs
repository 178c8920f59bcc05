using Payments.Core.Credits;
using M = Payments.Core.Money.Money;

namespace Payments.Core.Tests.Credits;

public class CreditRulesTests
{
    [Theory]
    [InlineData(1, "0.01 USD")]
    [InlineData(1_000, "10.00 USD")]
    [InlineData(20_000, "200.00 USD")]
    public void A_credit_costs_one_US_cent(long credits, string price) => Assert.Equal(M.Parse(price), CreditRules.PriceOf(credits));

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Credits_to_price_are_positive(long credits) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CreditRules.PriceOf(credits));

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Purchases_and_spends_move_a_positive_number_of_credits(long credits)
    {
        // A negative purchase would take credits from the buyer, a negative spend would give them.
        Assert.Throws<ArgumentOutOfRangeException>(() => CreditRules.Purchase("ann", "pay_1", credits));
        Assert.Throws<ArgumentOutOfRangeException>(() => CreditRules.Spend("ann", "job-7", credits));
    }

    [Fact]
    public void An_unbalanced_posting_cannot_be_built()
    {
        Assert.Throws<ArgumentException>(() => CreditPosting.Create(CreditKind.Spend, "u", "r", new("user:u", -5), new(CreditAccounts.Spent, 4)));
        Assert.Throws<ArgumentException>(() => CreditPosting.Create(CreditKind.Spend, "u", "r", new("user:u", 0), new(CreditAccounts.Spent, 0)));
        Assert.Throws<ArgumentException>(() => CreditPosting.Create(CreditKind.Spend, "u", "r", new CreditEntry("user:u", -5)));
        Assert.Throws<ArgumentException>(() => CreditPosting.Create(CreditKind.Spend, "u", "r", new("user:u", -5), new("user:u", 5)));
        // Overflowing sums are compared exactly, not wrapped around to zero.
        Assert.Throws<ArgumentException>(() => CreditPosting.Create(CreditKind.Spend, "u", "r",
            new("a", long.MaxValue), new("b", long.MaxValue), new("c", 2)));
    }

    [Fact]
    public void Purchases_bonuses_and_spends_are_balanced_between_the_right_accounts()
    {
        var purchase = CreditRules.Purchase("ann", "pay_1", 1_000);
        Assert.Equal((1_000, -1_000), (purchase.AmountFor("user:ann"), purchase.AmountFor(CreditAccounts.Sales)));

        var bonus = CreditRules.ReferralBonus("ann", "rob");
        Assert.Equal((1_000, 1_000, -2_000), (bonus.AmountFor("user:ann"), bonus.AmountFor("user:rob"), bonus.AmountFor(CreditAccounts.Bonus)));
        Assert.Equal(("ann", "ann"), (bonus.UserId, bonus.Reference)); // once per referred user

        var spend = CreditRules.Spend("ann", "job-7", 300);
        Assert.Equal((-300, 300), (spend.AmountFor("user:ann"), spend.AmountFor(CreditAccounts.Spent)));
        Assert.Throws<ArgumentException>(() => CreditRules.ReferralBonus("ann", "ann"));
    }

    [Theory]
    // hasReferrer, earlier purchase, bonus paid, paid → earns
    [InlineData(true, false, false, "10.00 USD", true)]
    [InlineData(true, false, false, "250.00 USD", true)]
    [InlineData(true, false, false, "9.99 USD", false)]
    [InlineData(false, false, false, "10.00 USD", false)]
    [InlineData(true, true, false, "10.00 USD", false)]
    [InlineData(true, false, true, "10.00 USD", false)]
    [InlineData(true, false, false, "10.00 EUR", false)]
    public void Only_a_referred_users_first_purchase_of_at_least_10_dollars_earns_the_bonus(
        bool referred, bool earlier, bool paid, string amount, bool earns) =>
        Assert.Equal(earns, CreditRules.EarnsReferralBonus(referred, earlier, paid, M.Parse(amount)));

    [Theory]
    // granted (bought, bonus), taken, paid, refunded total → take now
    [InlineData(1000, 0, 0, 0, 1000, 500, 500, 0)]
    [InlineData(1000, 0, 500, 0, 1000, 500, 0, 0)]       // the same total again takes nothing
    [InlineData(1000, 0, 500, 0, 1000, 400, 0, 0)]       // an older, smaller total takes nothing
    [InlineData(1000, 0, 500, 0, 1000, 1000, 500, 0)]
    [InlineData(1000, 1000, 0, 0, 1000, 333, 333, 333)]  // the buyer's bonus goes back in proportion too
    [InlineData(1000, 1000, 333, 333, 1000, 1000, 667, 667)]
    [InlineData(1500, 0, 0, 0, 1500, 1, 1, 0)]
    [InlineData(999, 0, 0, 0, 1000, 1, 0, 0)]            // floor: less than a whole credit waits for more refund
    [InlineData(999, 0, 0, 0, 1000, 1000, 999, 0)]
    [InlineData(1000, 0, 0, 0, 1000, 5000, 1000, 0)]     // never more than was granted
    [InlineData(0, 0, 0, 0, 1000, 1000, 0, 0)]           // a payment that granted nothing takes nothing
    public void A_refund_takes_back_its_proportion_of_what_the_payment_granted_less_what_was_taken(
        long bought, long bonus, long takenBought, long takenBonus, long paid, long refunded, long expectBought, long expectBonus) =>
        Assert.Equal(new CreditSplit(expectBought, expectBonus),
            CreditRules.TakeBack(new CreditSplit(bought, bonus), new CreditSplit(takenBought, takenBonus), paid, refunded));

    [Fact]
    public void A_take_back_returns_credits_where_they_came_from_and_is_keyed_by_the_refunded_total()
    {
        var posting = CreditRules.Refund("ann", "pay_1", 500, new CreditSplit(500, 500))!;
        Assert.Equal((-1_000, 500, 500), (posting.AmountFor("user:ann"), posting.AmountFor(CreditAccounts.Sales), posting.AmountFor(CreditAccounts.Bonus)));
        Assert.Equal("pay_1:500", posting.Reference);
        Assert.Null(CreditRules.Refund("ann", "pay_1", 1, new CreditSplit(0, 0)));
    }

    [Theory]
    [InlineData(1000, 1000, SpendVerdict.Allowed)]
    [InlineData(1000, 1, SpendVerdict.Allowed)]
    [InlineData(999, 1000, SpendVerdict.Insufficient)]
    [InlineData(0, 1, SpendVerdict.Insufficient)]
    [InlineData(-1, 1, SpendVerdict.NegativeBalance)]
    [InlineData(1000, 0, SpendVerdict.InvalidAmount)]
    [InlineData(1000, -3, SpendVerdict.InvalidAmount)]
    public void A_spend_needs_a_balance_that_covers_it_and_a_negative_balance_blocks_all(long balance, long amount, SpendVerdict verdict) =>
        Assert.Equal(verdict, CreditRules.CheckSpend(balance, amount));

    [Fact]
    public void Kinds_have_stable_wire_names()
    {
        Assert.Equal(["purchase", "referral_bonus", "refund", "spend"], Enum.GetValues<CreditKind>().Select(k => k.ToWire()));
        Assert.All(Enum.GetValues<CreditKind>(), k => Assert.Equal((true, k), (CreditKinds.TryParse(k.ToWire(), out var parsed), parsed)));
        Assert.False(CreditKinds.TryParse("gift", out _));
        Assert.False(CreditKinds.TryParse("Purchase", out _)); // wire names are exact, as stored
        Assert.False(CreditKinds.TryParse(null, out _));
        Assert.Equal(["purchase", "referral_bonus", "refund", "spend"], CreditKinds.WireNames);
    }
}
