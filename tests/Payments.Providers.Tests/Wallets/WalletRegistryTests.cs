using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Payments.Core.Providers;
using Payments.Providers.Tests.Dummy;
using Payments.Providers.Wallets;
using Stripe_ = Payments.Providers.Stripe;

namespace Payments.Providers.Tests.Wallets;

/// <summary>Wallets in the registry: Stripe carries them, they are never the default, and they are Stripe's in mode and ids.</summary>
public class WalletRegistryTests
{
    private static readonly (string, string)[] Stripe =
        [("STRIPE_SECRET_KEY", "sk_test_x"), ("STRIPE_WEBHOOK_SECRET", "whsec_x"), ("STRIPE_PUBLISHABLE_KEY", "pk_test_x")];

    private static ProviderRegistry Build(params (string Key, string Value)[] settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());
        services.AddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddSingleton<global::Payments.Providers.Dummy.IDummyCheckoutStore, InMemoryDummyCheckoutStore>();
        services.AddPaymentProviders();
        return services.BuildServiceProvider().GetRequiredService<ProviderRegistry>();
    }

    [Fact]
    public void Stripes_webhooks_carry_the_wallets_whose_gateway_it_is_and_other_providers_carry_only_themselves()
    {
        var registry = Build([.. Stripe, ("GOOGLE_PAY_ENABLED", "true")]);

        Assert.Equal(["stripe", "applepay", "googlepay"], registry.CarriedBy("stripe"));
        Assert.Equal(["dummy"], registry.CarriedBy("dummy"));
        var googlePay = registry.Find("googlepay");
        Assert.Equal(("stripe", "Google Pay", false), (googlePay.Descriptor.Gateway, googlePay.Descriptor.DisplayName, googlePay.Descriptor.OwnsPaymentId("pi_1")));
        Assert.IsAssignableFrom<IWalletProvider>(googlePay);
        Assert.IsAssignableFrom<IRefundProvider>(googlePay);
        // No webhook route of its own: Stripe delivers each event once, to Stripe's.
        Assert.IsNotAssignableFrom<IWebhookVerifier>(googlePay);
        Assert.False(registry.TryGet("applepay", out _)); // carried, but not switched on
        Assert.Equal("stripe", registry.OwnerOf("pi_1")!.Name);
    }

    [Fact]
    public void A_wallet_is_never_the_default_provider()
    {
        var live = Build(("STRIPE_SECRET_KEY", "sk_live_x"), ("STRIPE_WEBHOOK_SECRET", "whsec_x"), ("STRIPE_PUBLISHABLE_KEY", "pk_live_x"),
            ("GOOGLE_PAY_ENABLED", "true"), ("GOOGLE_PAY_ENVIRONMENT", "production"), ("GOOGLE_PAY_MERCHANT_ID", "BCR2DN4T"));
        Assert.Equal("stripe", live.Default.Name); // the only provider that is not a wallet, without PAYMENT_PROVIDER
        Assert.True(live.Find("googlepay").Descriptor.IsLive);

        var named = Assert.Throws<InvalidOperationException>(() => Build([.. Stripe, ("GOOGLE_PAY_ENABLED", "true"), ("PAYMENT_PROVIDER", "googlepay")]));
        Assert.Contains("PAYMENT_PROVIDER='googlepay' names a wallet", named.Message);
    }

    [Theory]
    [InlineData("GOOGLE_PAY_ENVIRONMENT", "sandbox", "GOOGLE_PAY_ENVIRONMENT='sandbox' must be TEST or PRODUCTION.")]
    [InlineData("STRIPE_ACCOUNT_COUNTRY", "Denmark", "STRIPE_ACCOUNT_COUNTRY='Denmark' must be a two-letter country code")]
    public void A_Google_Pay_setting_that_cannot_work_is_refused_naming_it(string name, string value, string expected) =>
        Assert.Contains(expected, Assert.Throws<InvalidOperationException>(() => Build([.. Stripe, ("GOOGLE_PAY_ENABLED", "true"), (name, value)])).Message);

    [Fact]
    public void Google_Pay_in_production_needs_its_merchant_id()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Build([.. Stripe, ("GOOGLE_PAY_ENABLED", "true"), ("GOOGLE_PAY_ENVIRONMENT", "PRODUCTION")]));
        Assert.Contains("googlepay needs GOOGLE_PAY_MERCHANT_ID", error.Message);
    }

    [Theory]
    [InlineData("https://shop.example.com")]
    [InlineData("shop.example.com/pay")]
    [InlineData("localhost")]
    public void An_Apple_Pay_domain_must_be_a_bare_host_name(string domain)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "association");
            var error = Assert.Throws<InvalidOperationException>(() => Build([.. Stripe, ("APPLE_PAY_ENABLED", "true"),
                ("APPLE_PAY_DOMAIN_NAME", domain), ("APPLE_PAY_DOMAIN_ASSOCIATION_FILE", file)]));
            Assert.Contains($"APPLE_PAY_DOMAIN_NAME='{domain}' must be a host name", error.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Apple_Pay_reads_its_association_file_at_start_relative_to_the_content_root()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "7B2270737049\n");
            var settings = Stripe.Concat([("APPLE_PAY_ENABLED", "true"), ("APPLE_PAY_DOMAIN_NAME", "Shop.Example.com"),
                ("APPLE_PAY_DOMAIN_ASSOCIATION_FILE", Path.GetFileName(file))]);
            var config = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Item1, s.Item2))).Build();

            var options = ApplePayOptions.From(config, Stripe_.StripeOptions.From(config), Path.GetDirectoryName(file)!);

            Assert.Equal((true, "shop.example.com", "7B2270737049\n"), (options.Enabled, options.DomainName, options.DomainAssociation));
            Assert.Empty(options.MissingSettings);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
