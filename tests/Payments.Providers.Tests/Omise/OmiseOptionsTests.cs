using Microsoft.Extensions.Configuration;
using Payments.Providers.Omise;

namespace Payments.Providers.Tests.Omise;

public class OmiseOptionsTests
{
    private static OmiseOptions From(params (string Key, string Value)[] settings) =>
        OmiseOptions.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build());

    [Fact]
    public void Off_without_a_secret_key_and_then_needs_nothing()
    {
        var options = From();
        Assert.False(options.Enabled);
        Assert.Empty(options.MissingSettings);
        Assert.Equal((new Uri("https://api.omise.co/"), "promptpay", (byte[]?)null), (options.ApiBase, options.SourceType, options.WebhookKey));
    }

    [Fact]
    public void A_secret_key_alone_switches_it_on_with_webhooks_re_fetched()
    {
        var options = From(("OMISE_SECRET_KEY", "skey_test_5xyz"));
        Assert.True(options.Enabled);
        Assert.Empty(options.MissingSettings);
        Assert.False(options.Live);
        Assert.Null(options.WebhookKey);
    }

    [Fact]
    public void Naming_it_the_default_provider_switches_it_on_and_the_secret_key_is_required() =>
        Assert.Equal(["OMISE_SECRET_KEY"], From(("PAYMENT_PROVIDER", "omise")).MissingSettings);

    [Theory]
    [InlineData("skey_5xyz", true)]
    [InlineData("skey_test_5xyz", false)]
    public void Live_keys_are_the_ones_without_test(string key, bool live) =>
        Assert.Equal(live, From(("OMISE_SECRET_KEY", key)).Live);

    [Fact]
    public void The_webhook_secret_is_the_bytes_its_base64_encodes() =>
        Assert.Equal([1, 2, 3, 250], From(("OMISE_SECRET_KEY", "skey_test_1"), ("OMISE_WEBHOOK_SECRET", "AQID+g==")).WebhookKey);

    [Theory]
    [InlineData("OMISE_SECRET_KEY", "pkey_test_pasted_the_wrong_one")]
    [InlineData("OMISE_PUBLIC_KEY", "skey_test_secret_in_the_browser")]
    [InlineData("OMISE_PUBLIC_KEY", "pkey_other_mode")]
    [InlineData("OMISE_WEBHOOK_SECRET", "not base64!")]
    [InlineData("OMISE_SOURCE_TYPE", "PromptPay")]
    [InlineData("OMISE_API_BASE", "ftp://api.omise.co")]
    public void Paste_mistakes_stop_start_up_naming_the_variable(string variable, string value)
    {
        var settings = new List<(string, string)> { ("OMISE_SECRET_KEY", "skey_test_1") };
        settings.RemoveAll(s => s.Item1 == variable);
        settings.Add((variable, value));
        var error = Assert.Throws<InvalidOperationException>(() => From([.. settings]));
        Assert.Contains(variable, error.Message);
    }
}
