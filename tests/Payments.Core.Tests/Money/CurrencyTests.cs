using Payments.Core.Money;

namespace Payments.Core.Tests.Money;

public class CurrencyTests
{
    [Theory]
    [InlineData("JPY", 0)] [InlineData("KRW", 0)] [InlineData("CLP", 0)] [InlineData("VND", 0)]
    [InlineData("ISK", 0)] [InlineData("UGX", 0)] [InlineData("XOF", 0)] [InlineData("PYG", 0)]
    [InlineData("BHD", 3)] [InlineData("JOD", 3)] [InlineData("KWD", 3)] [InlineData("OMR", 3)]
    [InlineData("TND", 3)] [InlineData("IQD", 3)] [InlineData("LYD", 3)]
    [InlineData("CLF", 4)] [InlineData("UYW", 4)]
    [InlineData("EUR", 2)] [InlineData("USD", 2)] [InlineData("THB", 2)] [InlineData("DKK", 2)]
    [InlineData("HUF", 2)] [InlineData("TWD", 2)]
    public void Exponent_follows_ISO_4217(string code, int exponent) =>
        Assert.Equal(exponent, Currency.Of(code).Exponent);

    [Fact]
    public void Table_holds_the_whole_active_list_and_no_code_twice()
    {
        Assert.InRange(Currency.All.Count, 150, 200);
        Assert.Equal(Currency.All.Count, Currency.All.Select(c => c.Code).Distinct().Count());
        Assert.All(Currency.All, c => Assert.Matches("^[A-Z]{3}$", c.Code));
    }

    [Theory]
    [InlineData("XAU")] [InlineData("XDR")] [InlineData("XXX")] [InlineData("EU")] [InlineData("EURO")] [InlineData("")]
    public void Codes_without_a_minor_unit_or_not_in_the_standard_are_refused(string code)
    {
        Assert.False(Currency.TryOf(code, out _));
        Assert.Throws<ArgumentException>(() => Currency.Of(code));
    }

    [Fact]
    public void Lookup_is_case_insensitive_and_returns_the_same_instance() =>
        Assert.Same(Currency.Of("EUR"), Currency.Of("eur"));
}
