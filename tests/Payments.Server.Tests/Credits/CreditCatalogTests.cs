using Microsoft.Extensions.Configuration;
using Payments.Core.Errors;
using Payments.Server.Features.Credits;

namespace Payments.Server.Tests.Credits;

public class CreditCatalogTests
{
    private static CreditCatalog From(Dictionary<string, string?> settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    [Fact]
    public void Without_configuration_the_defaults_are_starter_pro_and_business()
    {
        var catalog = From([]);
        Assert.Equal([("starter", 1_000L, "10.00 USD"), ("pro", 5_000L, "50.00 USD"), ("business", 20_000L, "200.00 USD")],
            catalog.Packages.Select(p => (p.Id, p.Credits, p.Price.ToString())));
        Assert.Equal((100, 100_000), (catalog.Min, catalog.Max));
    }

    [Fact]
    public void Configured_packages_replace_the_defaults_and_are_priced_at_a_cent_per_credit()
    {
        var catalog = From(new()
        {
            ["CreditPackages:tiny:Credits"] = "250", ["CreditPackages:huge:Credits"] = "100000", ["CreditPackages:huge:Name"] = "Huge",
            ["CREDITS_MIN"] = "50", ["CREDITS_MAX"] = "250000",
        });
        Assert.Equal([("tiny", "Tiny", "2.50 USD"), ("huge", "Huge", "1000.00 USD")], catalog.Packages.Select(p => (p.Id, p.Name, p.Price.ToString())));
        Assert.Equal(250_000, catalog.Custom(250_000));
        Assert.Equal(ErrorKind.Validation, Assert.Throws<PaymentsException>(() => catalog.Custom(49)).Kind);
        Assert.Equal(ErrorKind.Validation, Assert.Throws<PaymentsException>(() => catalog.Package("starter")).Kind);
        Assert.Equal("tiny", catalog.Package(" TINY ").Id);
    }

    [Theory]
    [InlineData("CreditPackages:x:Credits", "ten", "CreditPackages__x__Credits='ten'")]
    [InlineData("CreditPackages:x:Credits", "0", "CreditPackages__x__Credits='0'")]
    [InlineData("CreditPackages:x:Name", "Nameless", "CreditPackages__x__Credits is missing")]
    [InlineData("CREDITS_MIN", "-1", "CREDITS_MIN='-1'")]
    [InlineData("CREDITS_MAX", "1.5", "CREDITS_MAX='1.5'")]
    [InlineData("CREDITS_MAX", "99", "CREDITS_MAX (99) is below CREDITS_MIN (100)")]
    public void Bad_settings_stop_start_up_naming_the_setting(string key, string value, string message) =>
        Assert.Contains(message, Assert.Throws<InvalidOperationException>(() => From(new() { [key] = value })).Message);
}
