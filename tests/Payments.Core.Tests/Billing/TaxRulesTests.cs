using Payments.Core.Billing;

namespace Payments.Core.Tests.Billing;

public class TaxRulesTests
{
    private static VatNumber Vat(string number) =>
        VatNumber.TryParse(number, null, out var vat, out var problem) ? vat : throw new ArgumentException(problem);

    [Theory]
    //         customer  VAT number        status        merchant  exemption  rule             rate    country
    [InlineData("DE", "DE123456789", VatStatus.Valid, "DK", TaxExemption.Reverse, TaxRule.ReverseCharge, "0", "DE")]
    [InlineData("US", "DE123456789", VatStatus.Valid, "DK", TaxExemption.Reverse, TaxRule.ReverseCharge, "0", "DE")]
    [InlineData("GR", "EL123456789", VatStatus.Valid, "DK", TaxExemption.Reverse, TaxRule.ReverseCharge, "0", "GR")]
    [InlineData("DK", "DK12345678", VatStatus.Valid, "DK", TaxExemption.None, TaxRule.EuStandardRate, "25", "DK")]
    [InlineData("DE", "DE123456789", VatStatus.Unverified, "DK", TaxExemption.None, TaxRule.EuStandardRate, "19", "DE")]
    [InlineData("DE", "DE123456789", VatStatus.Pending, "DK", TaxExemption.None, TaxRule.EuStandardRate, "19", "DE")]
    [InlineData("DE", "DE123456789", VatStatus.Invalid, "DK", TaxExemption.None, TaxRule.EuStandardRate, "19", "DE")]
    [InlineData("FI", null, VatStatus.None, "DK", TaxExemption.None, TaxRule.EuStandardRate, "25.5", "FI")]
    [InlineData("FR", null, VatStatus.None, null, TaxExemption.None, TaxRule.EuStandardRate, "20", "FR")]
    [InlineData("DK", "DK12345678", VatStatus.Valid, null, TaxExemption.Reverse, TaxRule.ReverseCharge, "0", "DK")]
    [InlineData("US", null, VatStatus.None, "DK", TaxExemption.None, TaxRule.OutsideEu, "0", null)]
    [InlineData("CH", "DE123456789", VatStatus.Invalid, "DK", TaxExemption.None, TaxRule.OutsideEu, "0", null)]
    public void The_tax_rule(string customer, string? vat, VatStatus status, string? merchant, TaxExemption exemption, TaxRule rule, string rate, string? country)
    {
        var decision = TaxRules.Decide(customer, vat is null ? null : Vat(vat), status, merchant, VatRates.Default);
        Assert.Equal((exemption, rule, rate, country), (decision.Exemption, decision.Rule, decision.RatePercent, decision.Country));
    }

    [Fact]
    public void Every_member_state_has_a_standard_rate_between_15_and_27_percent()
    {
        // The directive's floor is 15 %; Hungary's 27 % is the highest.
        Assert.All(EuMemberStates.All, s => Assert.InRange(VatRates.Default.StandardRate(s.Country), 1500, 2700));
        Assert.Equal(1900, VatRates.Default.StandardRate("DE"));
        Assert.Equal(2400, VatRates.Default.StandardRate("GR"));
    }

    [Fact]
    public void A_configured_rate_replaces_the_tables()
    {
        var rates = VatRates.Default.With([KeyValuePair.Create("fi", (string?)"24"), KeyValuePair.Create("LU", (string?)"16.5")]);
        Assert.Equal((2400, 1650, 1900), (rates.StandardRate("FI"), rates.StandardRate("LU"), rates.StandardRate("DE")));
        Assert.Equal("16.5", TaxRules.Decide("LU", null, VatStatus.None, "DK", rates).RatePercent);
    }

    [Theory]
    [InlineData("US", "20", "VatRates__US: 'US' is not an EU member state")]
    [InlineData("EL", "24", "VatRates__EL: 'EL' is not an EU member state")]
    [InlineData("FI", "25.555", "VatRates__FI='25.555' is not a percentage")]
    [InlineData("FI", "101", "VatRates__FI='101'")]
    [InlineData("FI", "-1", "VatRates__FI='-1'")]
    [InlineData("FI", "twenty", "VatRates__FI='twenty'")]
    public void A_bad_rate_is_refused_naming_the_setting(string country, string rate, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => VatRates.Default.With([KeyValuePair.Create(country, (string?)rate)]));
        Assert.StartsWith(message, error.Message);
    }

    [Theory]
    [InlineData(1900, "19")]
    [InlineData(2550, "25.5")]
    [InlineData(1705, "17.05")]
    [InlineData(0, "0")]
    public void Rates_are_written_as_exact_percentages(int basisPoints, string written) => Assert.Equal(written, VatRates.Percent(basisPoints));
}
