using Payments.Server.Tests.Hosting;

namespace Payments.Server.Tests.Billing;

/// <summary>Billing settings that cannot work stop the real process before it listens, with one line naming them.</summary>
public class BillingStartupTests
{
    [Theory]
    [InlineData("Catalog__Prices__pro_monthly__Price", "29.001 EUR", "Catalog__Prices__pro_monthly__Price='29.001 EUR' is not a positive amount")]
    [InlineData("Catalog__Prices__pro_yearly__IntervalCount", "4", "Catalog__Prices__pro_yearly__IntervalCount='4' must be a whole number from 1 to 3")]
    [InlineData("MERCHANT_COUNTRY", "EL", "MERCHANT_COUNTRY='EL' is not an ISO 3166-1 country code")]
    [InlineData("VatRates__FI", "25,5", "VatRates__FI='25,5' is not a percentage")]
    [InlineData("VIES_API_BASE", "not a url", "VIES_API_BASE='not a url' is not an absolute http(s) URL")]
    public async Task A_bad_billing_setting_stops_start_up_naming_it(string name, string value, string line)
    {
        var (code, stderr) = await StartupTests.RunServer(new() { [name] = value });
        Assert.Equal(1, code);
        Assert.Contains("payments: cannot start: " + line, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}
