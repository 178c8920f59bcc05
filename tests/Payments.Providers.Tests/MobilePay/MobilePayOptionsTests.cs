using Microsoft.Extensions.Configuration;
using Payments.Providers.MobilePay;

namespace Payments.Providers.Tests.MobilePay;

public class MobilePayOptionsTests
{
    private static MobilePayOptions From(params (string Key, string Value)[] settings) =>
        MobilePayOptions.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void Unset_it_is_off_and_asks_for_nothing()
    {
        var options = From();
        Assert.False(options.Enabled);
        Assert.Empty(options.Missing);
    }

    [Fact]
    public void A_client_id_switches_it_on_and_every_other_credential_is_named_when_missing()
    {
        var options = From(("MOBILEPAY_CLIENT_ID", "id"));
        Assert.True(options.Enabled);
        Assert.Equal(["MOBILEPAY_CLIENT_SECRET", "MOBILEPAY_SUBSCRIPTION_KEY", "MOBILEPAY_MERCHANT_SERIAL_NUMBER"], options.Missing);
    }

    [Fact]
    public void Naming_it_the_default_provider_switches_it_on_too()
    {
        var options = From(("PAYMENT_PROVIDER", "MobilePay"));
        Assert.True(options.Enabled);
        Assert.Contains("MOBILEPAY_CLIENT_ID", options.Missing);
    }

    [Fact]
    public void The_test_environment_is_the_default_and_only_the_production_API_is_live()
    {
        Assert.Equal((new Uri("https://apitest.vipps.no/"), false), (From().ApiBase, From().Live));
        var production = From(("MOBILEPAY_API_BASE", "https://api.vipps.no"));
        Assert.Equal((new Uri("https://api.vipps.no/"), true), (production.ApiBase, production.Live));
        Assert.False(From(("MOBILEPAY_API_BASE", "http://127.0.0.1:5999")).Live);
    }

    [Theory]
    [InlineData("MOBILEPAY_MERCHANT_SERIAL_NUMBER", "12a456")]
    [InlineData("MOBILEPAY_MERCHANT_SERIAL_NUMBER", "123")]
    [InlineData("MOBILEPAY_API_BASE", "apitest.vipps.no")]
    public void A_setting_that_cannot_work_stops_start_up_naming_it(string name, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => From((name, value)));
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void The_system_headers_fit_Vipps_limit_of_30_characters()
    {
        var options = From();
        Assert.All(new[] { options.SystemName, options.SystemVersion, options.PluginName, options.PluginVersion },
            value => Assert.InRange(value.Length, 1, 30));
    }
}
