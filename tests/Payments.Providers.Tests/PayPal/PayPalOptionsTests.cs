using Microsoft.Extensions.Configuration;
using Payments.Providers.PayPal;

namespace Payments.Providers.Tests.PayPal;

public class PayPalOptionsTests
{
    private static PayPalOptions Options(params (string Key, string Value)[] settings) =>
        PayPalOptions.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void PayPal_is_off_without_a_client_id_and_asks_for_nothing()
    {
        var options = Options();
        Assert.False(options.Enabled);
        Assert.Empty(options.Missing);
    }

    [Fact]
    public void A_client_id_switches_PayPal_on_and_then_the_secret_is_required_by_name()
    {
        var options = Options(("PAYPAL_CLIENT_ID", "AY1"));
        Assert.True(options.Enabled);
        Assert.Equal(["PAYPAL_CLIENT_SECRET"], options.Missing);
    }

    [Fact]
    public void Being_the_default_provider_switches_PayPal_on_and_names_both_credentials()
    {
        var options = Options(("PAYMENT_PROVIDER", "PayPal"));
        Assert.True(options.Enabled);
        Assert.Equal(["PAYPAL_CLIENT_ID", "PAYPAL_CLIENT_SECRET"], options.Missing);
    }

    [Theory]
    [InlineData(null, null, "https://api-m.sandbox.paypal.com/")]
    [InlineData("sandbox", null, "https://api-m.sandbox.paypal.com/")]
    [InlineData("live", null, "https://api-m.paypal.com/")]
    [InlineData("LIVE", "http://127.0.0.1:5999", "http://127.0.0.1:5999/")]
    public void Mode_picks_the_base_url_and_PAYPAL_API_BASE_overrides_it(string? mode, string? apiBase, string expected)
    {
        var settings = new List<(string, string)>();
        if (mode is not null) settings.Add(("PAYPAL_MODE", mode));
        if (apiBase is not null) settings.Add(("PAYPAL_API_BASE", apiBase));
        Assert.Equal(expected, Options([.. settings]).ApiBase.ToString());
    }

    [Theory]
    [InlineData("PAYPAL_MODE", "production")]
    [InlineData("PAYPAL_API_BASE", "not a url")]
    [InlineData("PAYPAL_API_BASE", "ftp://x.example")]
    public void Bad_settings_are_refused_by_name(string key, string value) =>
        Assert.Contains(key, Assert.Throws<InvalidOperationException>(() => Options((key, value))).Message);
}
