using Payments.Core.Money;
using M = Payments.Core.Money.Money;

namespace Payments.Core.Tests.Money;

public class MoneyTests
{
    [Theory]
    [InlineData("19.00 EUR", 1900, "EUR")]
    [InlineData("19 EUR", 1900, "EUR")]
    [InlineData("19.5 EUR", 1950, "EUR")]
    [InlineData("0.01 eur", 1, "EUR")]
    [InlineData("1900 JPY", 1900, "JPY")]
    [InlineData("1.234 KWD", 1234, "KWD")]
    [InlineData("-3.50 USD", -350, "USD")]
    [InlineData("  149.00   EUR ", 14900, "EUR")]
    public void Parse_reads_amounts_in_the_currency_decimals(string text, long minor, string code) =>
        Assert.Equal(M.Of(minor, code), M.Parse(text));

    [Theory]
    [InlineData("19.001 EUR")]  // more decimals than EUR has: refused, never rounded
    [InlineData("1.5 JPY")]     // JPY has no minor unit
    [InlineData("1.2345 KWD")]
    [InlineData("1,900 EUR")]
    [InlineData("1e3 EUR")]
    [InlineData("19. EUR")]
    [InlineData(".5 EUR")]
    [InlineData("19.00")]
    [InlineData("EUR 19.00")]
    [InlineData("19.00 XAU")]
    [InlineData("99999999999999999999 EUR")]
    [InlineData("")]
    public void Parse_refuses_what_it_cannot_represent_exactly(string text)
    {
        Assert.False(M.TryParse(text, out _));
        Assert.Throws<FormatException>(() => M.Parse(text));
    }

    [Theory]
    [InlineData(1900, "EUR", "19.00 EUR")]
    [InlineData(5, "EUR", "0.05 EUR")]
    [InlineData(-5, "EUR", "-0.05 EUR")]
    [InlineData(1900, "JPY", "1900 JPY")]
    [InlineData(1, "KWD", "0.001 KWD")]
    [InlineData(12345, "CLF", "1.2345 CLF")]
    [InlineData(long.MinValue, "JPY", "-9223372036854775808 JPY")]
    public void Formats_with_exactly_the_currency_decimals(long minor, string code, string expected) =>
        Assert.Equal(expected, M.Of(minor, code).ToString());

    [Fact]
    public void Arithmetic_refuses_mixed_currencies()
    {
        var eur = M.Of(100, "EUR");
        var usd = M.Of(100, "USD");
        Assert.Throws<CurrencyMismatchException>(() => eur + usd);
        Assert.Throws<CurrencyMismatchException>(() => eur - usd);
        Assert.Throws<CurrencyMismatchException>(() => eur < usd);
    }

    [Fact]
    public void Arithmetic_refuses_overflow()
    {
        Assert.Throws<OverflowException>(() => M.Of(long.MaxValue, "EUR") + M.Of(1, "EUR"));
        Assert.Throws<OverflowException>(() => M.Of(long.MinValue, "EUR") - M.Of(1, "EUR"));
        Assert.Throws<OverflowException>(() => -M.Of(long.MinValue, "EUR"));
        Assert.Throws<OverflowException>(() => M.Of(long.MaxValue, "EUR").MultiplyRatio(2, 1));
    }

    [Fact]
    public void MultiplyRatio_uses_128_bit_intermediates_and_truncates_toward_zero()
    {
        Assert.Equal(M.Of(long.MaxValue / 3, "EUR"), M.Of(long.MaxValue, "EUR").MultiplyRatio(1, 3));
        Assert.Equal(M.Of(333, "EUR"), M.Of(1000, "EUR").MultiplyRatio(1, 3));
        Assert.Equal(M.Of(-333, "EUR"), M.Of(-1000, "EUR").MultiplyRatio(1, 3));
        Assert.Throws<DivideByZeroException>(() => M.Of(1, "EUR").MultiplyRatio(1, 0));
    }

    [Fact]
    public void Equality_is_minor_units_and_currency()
    {
        Assert.Equal(M.Of(1900, "EUR"), M.Parse("19.00 EUR"));
        Assert.NotEqual(M.Of(1900, "EUR"), M.Of(1900, "USD"));
        Assert.NotEqual(M.Of(1900, "EUR"), M.Of(190, "EUR"));
    }

    [Fact]
    public void A_currency_is_required() =>
        Assert.Throws<ArgumentNullException>(() => new M(1, null!));
}
