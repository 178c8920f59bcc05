using FsCheck;
using FsCheck.Fluent;
using Payments.Core.Credits;

namespace Payments.Core.Tests.Credits;

/// <summary>Something that happens to credits; generated in random sequences by the property tests.</summary>
public abstract record CreditOp
{
    public sealed record Buy(string User, long Credits) : CreditOp;
    /// <summary>The n-th payment still pending (modulo how many there are) succeeds.</summary>
    public sealed record Succeed(int Payment) : CreditOp;
    /// <summary>The n-th paid payment (modulo how many there are) is refunded by this much more (capped at what remains).</summary>
    public sealed record Refund(int Payment, long Amount) : CreditOp;
    public sealed record Spend(string User, long Amount) : CreditOp;
    public sealed record Refer(string User, string Referrer) : CreditOp;
}

/// <summary>Random sequences of credit operations among a few users (also used by the server's database-backed property test).</summary>
public static class CreditOps
{
    public static Gen<CreditOp> Any(string[] users) => Gen.Frequency(
        (4, Gen.Zip(Gen.Elements(users), Gen.Elements(100L, 500L, 999L, 1_000L, 1_500L, 5_000L))
            .Select(t => (CreditOp)new CreditOp.Buy(t.Item1, t.Item2))),
        (4, Gen.Choose(0, 7).Select(i => (CreditOp)new CreditOp.Succeed(i))),
        (3, Gen.Zip(Gen.Choose(0, 7), Gen.Elements(1L, 7L, 333L, 500L, 1_000L, 5_000L))
            .Select(t => (CreditOp)new CreditOp.Refund(t.Item1, t.Item2))),
        (6, Gen.Zip(Gen.Elements(users), Gen.Elements(1L, 50L, 300L, 999L, 1_000L, 2_500L))
            .Select(t => (CreditOp)new CreditOp.Spend(t.Item1, t.Item2))),
        (2, Refer(users)));

    /// <summary>A few referrals first (a code counts only before the first purchase), then anything.</summary>
    public static Gen<CreditOp[]> AnySequence(string[] users, int maxLength) =>
        Gen.Choose(0, 3).SelectMany(r => Gen.ArrayOf(Refer(users), r))
            .SelectMany(prelude => Gen.Choose(1, maxLength).SelectMany(n => Gen.ArrayOf(Any(users), n)),
                (prelude, rest) => prelude.Concat(rest).ToArray());

    private static Gen<CreditOp> Refer(string[] users) =>
        Gen.Zip(Gen.Elements(users), Gen.Elements(users)).Select(t => (CreditOp)new CreditOp.Refer(t.Item1, t.Item2));
}

/// <summary>
/// The ledger with nothing but the rules: an in-memory list of postings, read and written exactly
/// as the server's store does (facts from postings, decisions from <see cref="CreditRules"/>).
/// Ops that the service would refuse (spending too much, refunding an unpaid payment, a second
/// referral code) are refused here too.
/// </summary>
public sealed class LedgerModel
{
    public sealed class ModelPayment(string id, string buyer, long credits)
    {
        public string Id { get; } = id;
        public string Buyer { get; } = buyer;
        public long Credits { get; } = credits;
        public long Paid => CreditRules.PriceOf(Credits).Minor;
        public bool Succeeded { get; set; }
        public long Refunded { get; set; }
    }

    public List<CreditPosting> Postings { get; } = [];
    public List<ModelPayment> Payments { get; } = [];
    public Dictionary<string, string> ReferredBy { get; } = [];
    public List<(string User, long Amount, bool Allowed, long BalanceBefore)> Spends { get; } = [];

    private IEnumerable<ModelPayment> Pending() => Payments.Where(p => !p.Succeeded);

    public long Balance(string user) => Postings.Sum(p => p.AmountFor(CreditAccounts.User(user)));
    public long Total(string account) => Postings.Sum(p => p.AmountFor(account));

    public IEnumerable<CreditPosting> OfPayment(string paymentId) =>
        Postings.Where(p => p.Reference == paymentId || p.Reference.StartsWith(paymentId + ":", StringComparison.Ordinal)
                            || (p.Kind == CreditKind.ReferralBonus && BonusPayment.GetValueOrDefault(p.UserId) == paymentId));

    /// <summary>Which payment earned each referred user's bonus (the server keeps this as the transaction's payment id).</summary>
    public Dictionary<string, string> BonusPayment { get; } = [];

    public void Apply(CreditOp op)
    {
        switch (op)
        {
            case CreditOp.Buy buy:
                Payments.Add(new ModelPayment($"pay_{Payments.Count}", buy.User, buy.Credits));
                break;
            case CreditOp.Succeed succeed when Pending().ToList() is { Count: > 0 } pending:
                Grant(pending[succeed.Payment % pending.Count]);
                break;
            case CreditOp.Refund refund when Payments.Where(p => p.Succeeded).ToList() is { Count: > 0 } paid:
                var payment = paid[refund.Payment % paid.Count];
                var amount = Math.Min(refund.Amount, payment.Paid - payment.Refunded);
                if (amount <= 0) break;
                payment.Refunded += amount;
                TakeBack(payment);
                break;
            case CreditOp.Spend spend:
                var balance = Balance(spend.User);
                var allowed = CreditRules.CheckSpend(balance, spend.Amount) == SpendVerdict.Allowed;
                Spends.Add((spend.User, spend.Amount, allowed, balance));
                if (allowed) Postings.Add(CreditRules.Spend(spend.User, $"s{Spends.Count}", spend.Amount));
                break;
            case CreditOp.Refer refer when refer.User != refer.Referrer && !ReferredBy.ContainsKey(refer.User)
                                           && !Postings.Any(p => p.Kind == CreditKind.Purchase && p.UserId == refer.User):
                ReferredBy[refer.User] = refer.Referrer;
                break;
        }
    }

    private void Grant(ModelPayment payment)
    {
        payment.Succeeded = true;
        var earlier = Postings.Any(p => p.Kind == CreditKind.Purchase && p.UserId == payment.Buyer);
        var bonusPaid = Postings.Any(p => p.Kind == CreditKind.ReferralBonus && p.UserId == payment.Buyer);
        Postings.Add(CreditRules.Purchase(payment.Buyer, payment.Id, payment.Credits));
        if (ReferredBy.TryGetValue(payment.Buyer, out var referrer)
            && CreditRules.EarnsReferralBonus(true, earlier, bonusPaid, CreditRules.PriceOf(payment.Credits)))
        {
            Postings.Add(CreditRules.ReferralBonus(payment.Buyer, referrer));
            BonusPayment[payment.Buyer] = payment.Id;
        }
    }

    private void TakeBack(ModelPayment payment)
    {
        var user = CreditAccounts.User(payment.Buyer);
        var mine = OfPayment(payment.Id).ToList();
        long Sum(CreditKind kind, string account) => mine.Where(p => p.Kind == kind).Sum(p => p.AmountFor(account));
        var granted = new CreditSplit(Sum(CreditKind.Purchase, user), Sum(CreditKind.ReferralBonus, user));
        var taken = new CreditSplit(Sum(CreditKind.Refund, CreditAccounts.Sales), Sum(CreditKind.Refund, CreditAccounts.Bonus));
        var posting = CreditRules.Refund(payment.Buyer, payment.Id, payment.Refunded, CreditRules.TakeBack(granted, taken, payment.Paid, payment.Refunded));
        if (posting is not null) Postings.Add(posting);
    }
}
