using Payments.Core.Errors;
using Payments.Core.Money;
using Payments.Providers.Omise;

namespace Payments.Providers.Tests.Omise;

public class OmiseAmountsTests
{
    [Theory]
    [InlineData("1900.00 THB", 190000, "thb")]
    [InlineData("0.20 THB", 20, "thb")]
    [InlineData("1900 JPY", 1900, "jpy")]
    [InlineData("19.90 SGD", 1990, "sgd")]
    [InlineData("19.90 MYR", 1990, "myr")]
    [InlineData("19.00 USD", 1900, "usd")]
    [InlineData("19.00 EUR", 1900, "eur")]
    public void Amounts_go_out_in_the_currencys_smallest_unit(string money, long amount, string currency) =>
        Assert.Equal((amount, currency), OmiseAmounts.ToOmise(Money.Parse(money)));

    [Theory]
    [InlineData("19.000 KWD")]
    [InlineData("100 KRW")]
    [InlineData("19.00 SEK")]
    public void A_currency_Omise_does_not_take_is_refused_with_422_before_anything_is_sent(string money)
    {
        var error = Assert.Throws<PaymentsException>(() => OmiseAmounts.ToOmise(Money.Parse(money)));
        Assert.Equal(ErrorKind.Validation, error.Kind);
    }

    [Fact]
    public void Every_currency_Omise_takes_has_the_same_decimals_as_ISO_4217()
    {
        foreach (var (code, decimals) in OmiseAmounts.Decimals)
            Assert.True(Currency.Of(code).Exponent == decimals, $"{code}: Omise {decimals}, ISO {Currency.Of(code).Exponent}");
    }

    [Theory]
    [InlineData("thb", "THB")]
    [InlineData("THB", "THB")]
    [InlineData("jpy", "JPY")]
    [InlineData("Thb", null)]
    [InlineData("kwd", null)]
    [InlineData("th", null)]
    [InlineData(null, null)]
    public void Currencies_are_read_in_Omises_lower_case_or_ISOs_upper_case_only(string? code, string? expected) =>
        Assert.Equal(expected, OmiseAmounts.CurrencyOf(code)?.Code);
}
