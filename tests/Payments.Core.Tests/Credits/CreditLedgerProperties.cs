using FsCheck;
using FsCheck.Fluent;
using Payments.Core.Credits;

namespace Payments.Core.Tests.Credits;

/// <summary>
/// Every sequence of purchases, successes, (partial) refunds, referrals and spends, applied through
/// the credit rules, keeps the ledger honest.
/// </summary>
public class CreditLedgerProperties
{
    private static readonly string[] Users = ["ann", "bob", "cat", "dan"];
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(1000);

    [Fact]
    public void Every_posting_sums_to_zero_and_so_does_the_whole_ledger() =>
        Prop.ForAll(CreditOps.AnySequence(Users, 60).ToArbitrary(), ops =>
        {
            var model = Run(ops);
            return model.Postings.All(p => p.Entries.Sum(e => e.Amount) == 0)
                   && model.Postings.SelectMany(p => p.Entries).Sum(e => e.Amount) == 0;
        }).Check(Config);

    [Fact]
    public void A_spend_never_takes_a_balance_below_zero_and_is_refused_only_when_the_balance_cannot_cover_it() =>
        Prop.ForAll(CreditOps.AnySequence(Users, 60).ToArbitrary(), ops =>
        {
            var model = new LedgerModel();
            foreach (var op in ops)
            {
                model.Apply(op);
                if (op is CreditOp.Spend spend)
                {
                    var (_, amount, allowed, before) = model.Spends[^1];
                    if (allowed != (before >= amount)) return false;
                    if (allowed && model.Balance(spend.User) < 0) return false;
                }
            }
            // What was spent is exactly what the spent account holds.
            return model.Total(CreditAccounts.Spent) == model.Spends.Where(s => s.Allowed).Sum(s => s.Amount);
        }).Check(Config);

    [Fact]
    public void Refunds_take_back_at_most_what_a_payment_granted_and_a_full_refund_takes_back_exactly_that() =>
        Prop.ForAll(CreditOps.AnySequence(Users, 60).ToArbitrary(), ops =>
        {
            var model = Run(ops);
            foreach (var payment in model.Payments.Where(p => p.Succeeded))
            {
                var user = CreditAccounts.User(payment.Buyer);
                var mine = model.OfPayment(payment.Id).ToList();
                var granted = mine.Where(p => p.Kind != CreditKind.Refund).Sum(p => p.AmountFor(user));
                var taken = -mine.Where(p => p.Kind == CreditKind.Refund).Sum(p => p.AmountFor(user));
                if (taken < 0 || taken > granted) return false;
                // In proportion: never more than the refunded share, never a whole credit less.
                var share = (long)((Int128)granted * payment.Refunded / payment.Paid);
                if (taken > share || taken < share - 1) return false;
                if (payment.Refunded == payment.Paid && taken != granted) return false;
            }
            return true;
        }).Check(Config);

    [Fact]
    public void The_referral_bonus_is_paid_at_most_once_per_referred_user_and_only_to_the_recorded_referrer() =>
        Prop.ForAll(CreditOps.AnySequence(Users, 60).ToArbitrary(), ops =>
        {
            var model = Run(ops);
            var bonuses = model.Postings.Where(p => p.Kind == CreditKind.ReferralBonus).ToList();
            return bonuses.GroupBy(b => b.UserId).All(g => g.Count() == 1)
                   && bonuses.All(b => b.AmountFor(CreditAccounts.User(model.ReferredBy[b.UserId])) == CreditRules.ReferralBonusCredits)
                   && -model.Total(CreditAccounts.Bonus) <= 2 * CreditRules.ReferralBonusCredits * bonuses.Count;
        }).Check(Config);

    [Fact]
    public void A_balance_is_what_came_in_less_what_went_out() =>
        Prop.ForAll(CreditOps.AnySequence(Users, 60).ToArbitrary(), ops =>
        {
            var model = Run(ops);
            return Users.All(u =>
            {
                var account = CreditAccounts.User(u);
                var inflow = model.Postings.Where(p => p.Kind is CreditKind.Purchase or CreditKind.ReferralBonus).Sum(p => p.AmountFor(account));
                var outflow = -model.Postings.Where(p => p.Kind is CreditKind.Refund or CreditKind.Spend).Sum(p => p.AmountFor(account));
                return model.Balance(u) == inflow - outflow && inflow >= 0 && outflow >= 0;
            });
        }).Check(Config);

    private static LedgerModel Run(IEnumerable<CreditOp> ops)
    {
        var model = new LedgerModel();
        foreach (var op in ops) model.Apply(op);
        return model;
    }
}
