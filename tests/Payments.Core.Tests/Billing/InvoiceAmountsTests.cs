using Payments.Core.Billing;

namespace Payments.Core.Tests.Billing;

public class InvoiceAmountsTests
{
    [Theory]
    [InlineData(2900, 1900, 551)]   // 19 % of 29.00 EUR, exact
    [InlineData(2900, 2550, 740)]   // 25.5 %: 739.5 rounds half away from zero, as Stripe rounds a line's tax
    [InlineData(2900, 0, 0)]        // reverse charge
    [InlineData(1, 1900, 0)]        // 0.19 of a cent rounds down
    [InlineData(3, 1700, 1)]        // 0.51 rounds up
    public void VAT_is_the_rate_of_the_net_rounded_half_away_from_zero_and_gross_is_their_sum(long net, int rate, long vat)
    {
        var amounts = InvoiceAmounts.Of(Core.Money.Money.Of(net, "EUR"), rate);
        Assert.Equal((net, vat, net + vat), (amounts.Net.Minor, amounts.Vat.Minor, amounts.Gross.Minor));
        Assert.Equal("EUR", amounts.Gross.Currency.Code);
    }

    [Fact]
    public void A_rate_outside_0_to_100_percent_or_a_negative_net_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InvoiceAmounts.Of(Core.Money.Money.Of(100, "EUR"), 10_001));
        Assert.Throws<ArgumentOutOfRangeException>(() => InvoiceAmounts.Of(Core.Money.Money.Of(-1, "EUR"), 1900));
    }
}
