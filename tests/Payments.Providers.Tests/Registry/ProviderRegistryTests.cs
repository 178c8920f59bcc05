using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Payments.Core.Providers;
using Payments.Providers.Dummy;
using Payments.Providers.Tests.Dummy;

namespace Payments.Providers.Tests.Registry;

public class ProviderRegistryTests
{
    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    private static DummyProvider Dummy(bool enabled = true) =>
        new(new DummyOptions { Enabled = enabled }, new InMemoryDummyCheckoutStore(), TimeProvider.System);

    [Fact]
    public void Alone_the_dummy_runs_and_is_the_default()
    {
        var registry = new ProviderRegistry([Dummy(), new Fake("acme", live: false)], Config());
        Assert.Equal("dummy", registry.Default.Name);
    }

    [Fact]
    public void Beside_test_credentials_the_dummy_still_runs()
    {
        var registry = new ProviderRegistry([Dummy(), new Fake("acme", live: false, enabled: true)], Config());
        Assert.Equal(["acme", "dummy"], registry.Enabled.Select(p => p.Name).Order());
    }

    [Fact]
    public void Beside_live_credentials_the_dummy_switches_itself_off_and_the_live_provider_is_the_default()
    {
        var registry = new ProviderRegistry([Dummy(), new Fake("acme", live: true, enabled: true)], Config());
        Assert.Equal(["acme"], registry.Enabled.Select(p => p.Name));
        Assert.Equal("acme", registry.Default.Name);
        Assert.Equal(422, (int)Problems(() => registry.Find("dummy")));
    }

    [Fact]
    public void Asking_for_the_dummy_beside_live_credentials_stops_start_up()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new ProviderRegistry([Dummy(), new Fake("acme", live: true, enabled: true)], Config(("DUMMY_PROVIDER_ENABLED", "true"))));
        Assert.Contains("DUMMY_PROVIDER_ENABLED is set beside live acme credentials", error.Message);
    }

    [Fact]
    public void PAYMENT_PROVIDER_dummy_beside_live_credentials_stops_start_up_and_says_why()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new ProviderRegistry([Dummy(), new Fake("acme", live: true, enabled: true)], Config(("PAYMENT_PROVIDER", "dummy"))));
        Assert.Contains("PAYMENT_PROVIDER=dummy beside live acme credentials", error.Message);
        Assert.Contains("Set PAYMENT_PROVIDER to acme", error.Message);
    }

    [Fact]
    public void Several_providers_without_the_dummy_need_PAYMENT_PROVIDER()
    {
        var providers = new IProvider[] { Dummy(), new Fake("acme", live: true, enabled: true), new Fake("zeta", live: true, enabled: true) };
        var error = Assert.Throws<InvalidOperationException>(() => new ProviderRegistry(providers, Config()));
        Assert.Contains("PAYMENT_PROVIDER is not set", error.Message);
        Assert.Equal("zeta", new ProviderRegistry(providers, Config(("PAYMENT_PROVIDER", "zeta"))).Default.Name);
    }

    [Theory]
    [InlineData("sk_live_abc", true)]
    [InlineData("rk_live_abc", true)]
    [InlineData("sk_test_abc", false)]
    public void Stripe_is_live_with_live_keys_and_then_the_dummy_is_off(string key, bool live)
    {
        var registry = Build(("STRIPE_SECRET_KEY", key), ("STRIPE_WEBHOOK_SECRET", "whsec_x"));
        Assert.Equal(live, registry.Enabled.Single(p => p.Name == "stripe").Descriptor.IsLive);
        Assert.Equal(!live, registry.Enabled.Any(p => p.Name == "dummy"));
    }

    [Fact]
    public void PayPal_in_live_mode_switches_the_dummy_off()
    {
        var registry = Build(("PAYPAL_CLIENT_ID", "id"), ("PAYPAL_CLIENT_SECRET", "secret"), ("PAYPAL_MODE", "live"));
        Assert.Equal(["paypal"], registry.Enabled.Select(p => p.Name));
    }

    [Fact]
    public void A_provider_is_asked_only_for_the_capabilities_it_implements_and_otherwise_refuses_with_422()
    {
        var registry = new ProviderRegistry([Dummy(), new Fake("acme", live: false, enabled: true)], Config());
        Assert.IsType<DummyProvider>(registry.Get<IRefundProvider>("dummy"));
        Assert.IsType<DummyProvider>(registry.Get<ICheckoutProvider>(null)); // the default
        var refused = Assert.Throws<Core.Errors.PaymentsException>(() => registry.Get<IRefundProvider>("acme"));
        Assert.Equal(Core.Errors.ErrorKind.Validation, refused.Kind);
        Assert.Equal("Provider 'acme' does not support refunds.", refused.Message);
        Assert.Contains("does not support billing", Assert.Throws<Core.Errors.PaymentsException>(() => registry.Get<IBillingProvider>("acme")).Message);
        Assert.Contains("does not support subscriptions", Assert.Throws<Core.Errors.PaymentsException>(() => registry.Get<ISubscriptionProvider>("acme")).Message);
        Assert.False(registry.TryGet<ICaptureProvider>("dummy", out _));
        Assert.Equal(["dummy"], registry.EnabledWith<ICheckoutProvider>().Select(p => p.Name));
    }

    [Fact]
    public void Each_provider_describes_itself_in_its_own_folder()
    {
        var registry = Build(("STRIPE_SECRET_KEY", "sk_test_x"), ("STRIPE_WEBHOOK_SECRET", "whsec_x"),
            ("PAYPAL_CLIENT_ID", "id"), ("PAYPAL_CLIENT_SECRET", "secret"), ("PAYMENT_PROVIDER", "dummy"));
        Assert.Equal("Stripe", registry.DisplayName("stripe"));
        Assert.Equal("Card (Stripe)", registry.Find("stripe").Descriptor.Choice);
        Assert.Equal("PayPal", registry.Find("paypal").Descriptor.Choice);
        Assert.Equal("Dummy provider (test, no money moves)", registry.Find("dummy").Descriptor.Choice);
        Assert.Equal("Newpay", registry.DisplayName("newpay")); // a name on an old row, no longer compiled in
        Assert.IsAssignableFrom<ICaptureProvider>(registry.Find("paypal"));
        Assert.IsNotAssignableFrom<ICaptureProvider>(registry.Find("stripe"));
    }

    private static ProviderRegistry Build(params (string, string)[] settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Config(settings));
        services.AddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddSingleton<IDummyCheckoutStore, InMemoryDummyCheckoutStore>(); // the host's part
        services.AddPaymentProviders();
        return services.BuildServiceProvider().GetRequiredService<ProviderRegistry>();
    }

    private static int Problems(Action action)
    {
        var e = Assert.Throws<Core.Errors.PaymentsException>(action);
        return e.Kind == Core.Errors.ErrorKind.Validation ? 422 : 0;
    }

    /// <summary>A provider that only describes itself: no capability at all.</summary>
    private sealed class Fake(string name, bool live, bool enabled = false) : IProvider
    {
        public ProviderDescriptor Descriptor { get; } =
            new() { Name = name, DisplayName = name, IsEnabled = enabled, IsLive = live, OwnsPaymentId = _ => false };
    }
}
