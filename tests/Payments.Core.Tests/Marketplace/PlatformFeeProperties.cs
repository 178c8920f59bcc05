using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Payments.Core.Marketplace;
using Payments.Core.Money;
using M = Payments.Core.Money.Money;

namespace Payments.Core.Tests.Marketplace;

/// <summary>
/// The split of a destination charge, over every currency this service accepts (exponents 0 to 4), any amount up to
/// the host's maximum and any fee from 0 to 100 %: integer arithmetic, checked against an independent big-integer floor.
/// </summary>
public class PlatformFeeProperties
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(2000);
    private static readonly Currency[] Currencies = Currency.All.OrderBy(c => c.Code).ToArray();

    private static Gen<(Currency Currency, long Minor, int Bps)> Cases =>
        from currency in Gen.Elements(Currencies)
        from minor in Gen.OneOf(Gen.Choose(0, 1_000_000).Select(i => (long)i),
            Gen.Choose(0, int.MaxValue).Select(i => (long)i * 465), Gen.Elements(0L, 1L, 99L, 10_000L, global::Payments.Core.Payments.HostFields.MaxAmountMinor))
        from bps in Gen.OneOf(Gen.Choose(0, PlatformFee.MaxBps), Gen.Elements(0, 1, 250, 9_999, 10_000))
        select (currency, minor, bps);

    [Fact]
    public void The_fee_is_the_floor_of_amount_times_bps_over_10000_and_vendor_plus_fee_is_the_total_in_every_currency() =>
        Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var split = PlatformFee.Of(new M(c.Minor, c.Currency), c.Bps);
            var expected = (long)BigInteger.Divide(new BigInteger(c.Minor) * c.Bps, 10_000);
            return split.Fee.Minor == expected
                   && split.Vendor.Minor + split.Fee.Minor == c.Minor
                   && split.Fee.Currency == c.Currency && split.Vendor.Currency == c.Currency
                   && split.Fee.Minor >= 0 && split.Vendor.Minor >= 0;
        }).Check(Config);

    [Fact]
    public void Refunds_in_any_order_and_repeated_never_take_back_more_than_the_split_and_a_full_refund_returns_exactly_fee_and_vendor_share() =>
        Prop.ForAll(Cases.ToArbitrary(), Gen.ListOf(Gen.Choose(0, 10_000)).ToArbitrary(), (c, fractions) =>
        {
            if (c.Minor == 0) return true;
            var split = PlatformFee.Of(new M(c.Minor, c.Currency), c.Bps);
            long takenFee = 0, takenVendor = 0;
            // Reported totals in any order, repeated, then the full refund last.
            var reports = fractions.Select(f => (long)(new BigInteger(c.Minor) * f / 10_000)).Append(c.Minor);
            foreach (var refunded in reports)
            {
                var posting = MarketRules.Refund("pay_1", "ven_1", split, refunded, takenFee, takenVendor);
                if (posting is null) continue;
                if (posting.Entries.Sum(e => e.Amount) != 0) return false;
                takenFee -= posting.AmountFor(MarketAccounts.Fees);
                takenVendor -= posting.AmountFor(MarketAccounts.Vendor("ven_1"));
                if (takenFee > split.Fee.Minor || takenVendor > split.Vendor.Minor) return false;
            }
            return takenFee == split.Fee.Minor && takenVendor == split.Vendor.Minor;
        }).Check(Config);

    [Fact]
    public void Half_of_100_EUR_at_250_bps_takes_back_1_25_in_fees_and_48_75_from_the_vendor()
    {
        var split = PlatformFee.Of(M.Of(10000, "EUR"), 250);
        Assert.Equal((9750, 250), (split.Vendor.Minor, split.Fee.Minor));
        var posting = MarketRules.Refund("pay_1", "ven_1", split, 5000, 0, 0)!;
        Assert.Equal(-125, posting.AmountFor(MarketAccounts.Fees));
        Assert.Equal(-4875, posting.AmountFor(MarketAccounts.Vendor("ven_1")));
        Assert.Equal(5000, posting.AmountFor(MarketAccounts.Customers));
        Assert.Null(MarketRules.Refund("pay_1", "ven_1", split, 5000, 125, 4875));
    }

    [Theory]
    [InlineData(false, false, false, null, "pending")]
    [InlineData(true, false, false, null, "pending")]
    [InlineData(false, false, true, "requirements.past_due", "restricted")]
    [InlineData(true, false, true, null, "restricted")]
    [InlineData(true, true, true, null, "active")]
    [InlineData(true, true, false, null, "active")]
    [InlineData(false, false, true, "rejected.fraud", "inactive")]
    [InlineData(false, false, false, "rejected.terms_of_service", "inactive")]
    public void An_accounts_status_comes_only_from_what_the_provider_reports(bool charges, bool payouts, bool submitted, string? disabled, string status)
    {
        var account = new global::Payments.Core.Providers.ConnectedAccount("acct_1", charges, payouts, submitted, [], disabled);
        Assert.Equal(status, AccountStatuses.Of(account).ToWire());
        Assert.Equal(status == "active", AccountStatuses.Of(account).AcceptsPayments());
        Assert.Equal("not_configured", AccountStatuses.Of(null).ToWire());
    }
}
