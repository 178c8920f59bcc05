using Microsoft.Extensions.DependencyInjection;
using Payments.Providers.Dummy;
using Payments.Providers.MobilePay;
using Payments.Providers.Stripe;
using Payments.Providers.PayPal;
using Payments.Providers.Omise;
using Payments.Providers.Wallets;

namespace Payments.Providers;

public static class ProvidersRegistration
{
    /// <summary>
    /// Registers every provider adapter and the registry. Adding a provider = a folder under
    /// Payments.Providers plus one line here. Adapters read their settings (by environment-variable
    /// name) when first resolved, so hosts and tests can change configuration up to that point.
    /// </summary>
    public static IServiceCollection AddPaymentProviders(this IServiceCollection services)
    {
        services.AddDummyProvider();
        services.AddStripeProvider();
        services.AddPayPalProvider();
        services.AddOmiseProvider();
        services.AddMobilePayProvider();
        services.AddWalletProviders();
        services.AddSingleton<ProviderRegistry>();
        return services;
    }
}
