using Payments.Core.Billing;

namespace Payments.Core.Tests.Billing;

public class VatNumberTests
{
    public static TheoryData<string> Examples => new(EuMemberStates.All.Select(s => s.Example));

    [Fact]
    public void There_are_27_member_states_each_with_its_own_prefix()
    {
        Assert.Equal(27, EuMemberStates.All.Count);
        Assert.Equal(27, EuMemberStates.All.Select(s => s.VatPrefix).Distinct().Count());
        Assert.All(EuMemberStates.All, s => Assert.True(Countries.IsAssigned(s.Country), s.Country));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_member_states_documented_example_has_its_shape(string example)
    {
        Assert.True(VatNumber.TryParse(example, null, out var vat, out var problem), problem);
        Assert.Equal(example, vat.ToString());
        Assert.Equal(example[..2], vat.Prefix);
    }

    [Theory]
    [InlineData("de 123.456.789", "DE123456789")]
    [InlineData("  NL-123456789-B01 ", "NL123456789B01")]
    [InlineData("atu 1234 5678", "ATU12345678")]
    public void Spaces_dots_dashes_and_case_do_not_matter(string typed, string canonical)
    {
        Assert.True(VatNumber.TryParse(typed, null, out var vat, out _));
        Assert.Equal(canonical, vat.ToString());
    }

    [Theory]
    [InlineData("EL123456789")]
    [InlineData("GR123456789")]
    [InlineData("123456789")]
    public void Greece_is_EL_for_VAT_and_GR_as_a_country(string typed)
    {
        Assert.True(VatNumber.TryParse(typed, "GR", out var vat, out _));
        Assert.Equal(("GR", "EL", "123456789", "EL123456789"), (vat.Country, vat.Prefix, vat.Number, vat.ToString()));
    }

    [Fact]
    public void A_number_without_a_prefix_takes_the_address_countrys()
    {
        Assert.True(VatNumber.TryParse("U12345678", "AT", out var vat, out _));
        Assert.Equal("ATU12345678", vat.ToString());
        Assert.False(VatNumber.TryParse("123456789", "US", out _, out var problem));
        Assert.Contains("with its member state's prefix", problem);
    }

    [Theory]
    [InlineData("DE12345678")]       // 8 digits, Germany has 9
    [InlineData("DE1234567890")]
    [InlineData("ATU1234567")]
    [InlineData("AT12345678")]        // Austria's numbers start with U
    [InlineData("BE2123456789")]      // Belgium: 0 or 1 first
    [InlineData("NL123456789A01")]
    [InlineData("FR1O345678901")]     // no letter O in the French key
    [InlineData("SE123456789012")]    // Sweden ends in 01
    [InlineData("RO0123456")]         // no leading zero in Romania
    [InlineData("IT1234567890")]
    [InlineData("ELABCDEFGHI")]
    public void A_number_not_shaped_like_its_member_states_is_refused_with_an_example(string typed)
    {
        Assert.False(VatNumber.TryParse(typed, null, out _, out var problem));
        Assert.Contains("does not have the shape of a VAT number of", problem);
        Assert.Contains("e.g.", problem);
    }

    [Theory]
    [InlineData("GB123456789")]
    [InlineData("CHE123456789")]
    [InlineData("NO123456789")]
    [InlineData("XI123456789")]
    public void A_number_from_outside_the_EU_is_refused(string typed)
    {
        Assert.False(VatNumber.TryParse(typed, null, out _, out var problem));
        Assert.Contains("is not the VAT prefix of an EU member state", problem);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" - ")]
    public void An_empty_number_is_refused(string? typed) => Assert.False(VatNumber.TryParse(typed, "DE", out _, out _));

    [Fact]
    public void Countries_are_the_249_assigned_ISO_codes_in_upper_case()
    {
        Assert.Equal(249, Countries.Count);
        Assert.True(Countries.IsAssigned("GR"));
        Assert.True(Countries.IsAssigned("US"));
        Assert.False(Countries.IsAssigned("EL"));
        Assert.False(Countries.IsAssigned("UK"));
        Assert.False(Countries.IsAssigned("de"));
    }
}
