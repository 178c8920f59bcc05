using Microsoft.Extensions.Configuration;
using Payments.Core.Money;
using Payments.Core.Providers;
using Payments.Providers.Stripe;

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
        Assert.Equal(live, new StripeProvider(options, new StripeClient(null!, options), TimeProvider.System).Descriptor.IsLive);
    }

    [Fact]
    public void A_test_secret_key_containing_live_matches_a_test_publishable_key() =>
        Assert.False(From(("STRIPE_SECRET_KEY", "sk_test_x_live_y"), ("STRIPE_PUBLISHABLE_KEY", "pk_test_abc"), ("STRIPE_WEBHOOK_SECRET", "whsec_1")).Live);

    [Fact]
    public void Payment_ids_are_recognised_by_Stripes_prefixes()
    {
        var provider = new StripeProvider(new StripeOptions(), new StripeClient(null!, new StripeOptions()), TimeProvider.System);
        Assert.True(provider.Descriptor.OwnsPaymentId("cs_test_a1b2"));
        Assert.True(provider.Descriptor.OwnsPaymentId("pi_3Nx"));
        Assert.False(provider.Descriptor.OwnsPaymentId("dm_1"));
        Assert.False(provider.Descriptor.OwnsPaymentId("ch_1"));
    }

    [Fact]
    public void Backoff_doubles_up_to_the_cap_and_is_jittered_between_half_and_full()
    {
        var client = new StripeClient(null!, new StripeOptions
        {
            InitialRetryDelay = TimeSpan.FromMilliseconds(500), MaxRetryDelay = TimeSpan.FromSeconds(5),
        });
        for (var i = 0; i < 200; i++)
        {
            Assert.InRange(client.Backoff(0).TotalMilliseconds, 250, 500);
            Assert.InRange(client.Backoff(2).TotalMilliseconds, 1000, 2000);
            Assert.InRange(client.Backoff(10).TotalMilliseconds, 2500, 5000);
        }
        Assert.True(Enumerable.Range(0, 50).Select(_ => client.Backoff(1)).Distinct().Count() > 1, "no jitter");
    }

    [Fact]
    public async Task A_refund_amount_Stripe_cannot_take_is_a_failed_result_without_a_call()
    {
        var provider = new StripeProvider(new StripeOptions(), new StripeClient(null!, new StripeOptions()), TimeProvider.System);
        var result = await provider.RefundAsync(new RefundRequest("pay_1", "cs_1", "pi_1", Money.Of(1255, "KWD"), "k"), default);
        Assert.Equal(RefundStatus.Failed, result.Status);
    }
}
