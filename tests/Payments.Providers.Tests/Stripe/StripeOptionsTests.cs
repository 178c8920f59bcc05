using Microsoft.Extensions.Configuration;
using Payments.Core.Money;
using Payments.Core.Providers;
using Payments.Providers.Stripe;
using Sdk = global::Stripe;

namespace Payments.Providers.Tests.Stripe;

public class StripeOptionsTests
{
    private static StripeOptions From(params (string Key, string Value)[] settings) =>
        StripeOptions.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build());

    [Fact]
    public void Off_without_a_secret_key_and_then_needs_nothing()
    {
        var options = From();
        Assert.False(options.Enabled);
        Assert.Empty(options.MissingSettings);
        Assert.Equal(new Uri("https://api.stripe.com/"), options.ApiBase);
    }

    [Fact]
    public void A_secret_key_switches_it_on_and_the_webhook_secret_becomes_required() =>
        Assert.Equal(["STRIPE_WEBHOOK_SECRET"], From(("STRIPE_SECRET_KEY", "sk_test_1")).MissingSettings);

    [Fact]
    public void Naming_it_the_default_provider_switches_it_on_and_both_secrets_are_required()
    {
        var options = From(("PAYMENT_PROVIDER", "Stripe"));
        Assert.True(options.Enabled);
        Assert.Equal(["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"], options.MissingSettings);
    }

    [Theory]
    [InlineData("STRIPE_SECRET_KEY", "pk_test_pasted_the_wrong_one", "STRIPE_SECRET_KEY")]
    [InlineData("STRIPE_PUBLISHABLE_KEY", "sk_test_secret_in_the_browser", "STRIPE_PUBLISHABLE_KEY")]
    [InlineData("STRIPE_PUBLISHABLE_KEY", "pk_live_other_mode", "STRIPE_PUBLISHABLE_KEY")]
    [InlineData("STRIPE_API_BASE", "ftp://api.stripe.com", "STRIPE_API_BASE")]
    public void Settings_that_cannot_work_are_refused_by_name(string key, string value, string named)
    {
        var settings = new Dictionary<string, string> { ["STRIPE_SECRET_KEY"] = "sk_test_1", ["STRIPE_WEBHOOK_SECRET"] = "whsec_1" };
        settings[key] = value;
        var error = Assert.Throws<InvalidOperationException>(() => From(settings.Select(s => (s.Key, s.Value)).ToArray()));
        Assert.Contains(named, error.Message);
    }

    [Theory]
    [InlineData("sk_live_abc", true)]
    [InlineData("rk_live_abc", true)]
    [InlineData("sk_test_abc", false)]
    [InlineData("sk_test_x_live_y", false)] // the mode is the key's prefix, not any "_live_" inside it
    [InlineData("rk_test_51x_live_9", false)]
    public void A_key_is_live_by_its_prefix_alone(string key, bool live)
    {
        var options = From(("STRIPE_SECRET_KEY", key), ("STRIPE_WEBHOOK_SECRET", "whsec_1"));
        Assert.Equal(live, options.Live);
        Assert.Equal(live, new StripeProvider(options, null!, TimeProvider.System).Descriptor.IsLive);
    }

    [Fact]
    public void A_test_secret_key_containing_live_matches_a_test_publishable_key() =>
        Assert.False(From(("STRIPE_SECRET_KEY", "sk_test_x_live_y"), ("STRIPE_PUBLISHABLE_KEY", "pk_test_abc"), ("STRIPE_WEBHOOK_SECRET", "whsec_1")).Live);

    [Fact]
    public void Payment_ids_are_recognised_by_Stripes_prefixes()
    {
        var provider = new StripeProvider(new StripeOptions(), null!, TimeProvider.System);
        Assert.True(provider.Descriptor.OwnsPaymentId("cs_test_a1b2"));
        Assert.True(provider.Descriptor.OwnsPaymentId("pi_3Nx"));
        Assert.False(provider.Descriptor.OwnsPaymentId("dm_1"));
        Assert.False(provider.Descriptor.OwnsPaymentId("ch_1"));
    }

    [Fact]
    public void The_SDK_client_gets_our_retries_per_attempt_timeout_and_base_and_no_telemetry()
    {
        var factory = new RecordingClients();
        var client = StripeSdk.Create(new StripeOptions
        {
            SecretKey = "sk_test_1", ApiBase = new Uri("http://127.0.0.1:12111/"), MaxNetworkRetries = 3,
            RequestTimeout = TimeSpan.FromSeconds(7),
        }, factory);

        var http = Assert.IsType<Sdk.SystemNetHttpClient>(client.HttpClient);
        Assert.Equal((3, false), (http.MaxNetworkRetries, http.EnableTelemetry));
        Assert.Equal("http://127.0.0.1:12111", client.ApiBase); // the SDK appends "/v1/…" itself
        Assert.Equal(TimeSpan.FromSeconds(7), Assert.Single(factory.Created).Timeout);
        Assert.Equal(StripeSdk.HttpClientName, Assert.Single(factory.Names));
    }

    [Fact]
    public void The_SDK_prints_no_notices_to_the_servers_stderr()
    {
        StripeSdk.Create(new StripeOptions { SecretKey = "sk_test_1" }, new RecordingClients());
        Assert.Equal("true", Environment.GetEnvironmentVariable(StripeSdk.SuppressNoticesVariable));
    }

    [Fact]
    public void The_API_version_we_document_and_read_is_the_one_the_SDK_sends() =>
        Assert.Equal(StripeOptions.ApiVersion, Sdk.StripeConfiguration.ApiVersion);

    private sealed class RecordingClients : IHttpClientFactory
    {
        public List<HttpClient> Created { get; } = [];
        public List<string> Names { get; } = [];

        public HttpClient CreateClient(string name)
        {
            Names.Add(name);
            var client = new HttpClient();
            Created.Add(client);
            return client;
        }
    }

    [Fact]
    public async Task A_refund_amount_Stripe_cannot_take_is_a_failed_result_without_a_call()
    {
        var provider = new StripeProvider(new StripeOptions(), null!, TimeProvider.System);
        var result = await provider.RefundAsync(new RefundRequest("pay_1", "cs_1", "pi_1", Money.Of(1255, "KWD"), "k"), default);
        Assert.Equal(RefundStatus.Failed, result.Status);
    }
}
