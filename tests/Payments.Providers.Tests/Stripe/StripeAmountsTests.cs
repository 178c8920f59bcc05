using Payments.Core.Money;
using Payments.Providers.Stripe;

namespace Payments.Providers.Tests.Stripe;

public class StripeAmountsTests
{
    [Theory]
    [InlineData(1900, "EUR", 1900)]
    [InlineData(1900, "JPY", 1900)]   // zero-decimal: yen are yen
    [InlineData(5, "ISK", 500)]       // ISO 0 decimals, Stripe's API keeps 2
    [InlineData(10000, "MGA", 100)]   // ISO 2 decimals, Stripe zero-decimal
    [InlineData(1250, "KWD", 1250)]   // three-decimal, last digit 0
    [InlineData(500, "UGX", 500)]
    [InlineData(1, "USD", 1)]
    public void Converts_exactly_to_Stripes_unit_and_back(long minor, string currency, long stripe)
    {
        var money = Money.Of(minor, currency);
        Assert.True(StripeAmounts.TryToStripe(money, out var amount, out var why), why);
        Assert.Equal(stripe, amount);
        Assert.Equal(money, StripeAmounts.FromStripe(amount, currency.ToLowerInvariant()));
    }

    [Theory]
    [InlineData(1255, "KWD")]
    [InlineData(10050, "MGA")]
    [InlineData(1, "CLF")]
    [InlineData(1000, "IQD")]
    [InlineData(long.MaxValue, "ISK")]
    public void Refuses_what_it_cannot_send_exactly_instead_of_rounding(long minor, string currency) =>
        Assert.False(StripeAmounts.TryToStripe(Money.Of(minor, currency), out _, out _));

    [Theory]
    [InlineData(1050L, "isk")]  // 10.50 krónur: more precise than ISK has
    [InlineData(1900L, "xxx")]  // not a currency
    [InlineData(null, "eur")]
    public void Reports_nothing_for_amounts_it_cannot_read_exactly(long? amount, string currency) =>
        Assert.Null(StripeAmounts.FromStripe(amount, currency));

    [Fact]
    public void Every_currency_Stripe_can_take_round_trips()
    {
        foreach (var currency in Currency.All.Where(c => StripeAmounts.StripeDigits(c) is not null))
        foreach (var minor in new long[] { 1, 10, 100, 1000, 123_400, 99_999_900 })
        {
            var money = new Money(minor, currency);
            if (StripeAmounts.TryToStripe(money, out var amount, out _))
                Assert.Equal(money, StripeAmounts.FromStripe(amount, currency.Code.ToLowerInvariant()));
        }
    }
}
