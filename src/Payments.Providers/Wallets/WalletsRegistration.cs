using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Payments.Core.Providers;
using Payments.Providers.Stripe;

namespace Payments.Providers.Wallets;

public static class WalletsRegistration
{
    /// <summary>Google Pay and Apple Pay, both through Stripe (register after <see cref="StripeRegistration.AddStripeProvider"/>).</summary>
    public static IServiceCollection AddWalletProviders(this IServiceCollection services)
    {
        services.AddSingleton(sp => GooglePayOptions.From(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<StripeOptions>()));
        services.AddSingleton(sp => ApplePayOptions.From(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<StripeOptions>(),
            sp.GetService<IHostEnvironment>()?.ContentRootPath ?? Environment.CurrentDirectory));
        services.AddSingleton<StripeWalletGateway>();
        services.AddSingleton<IProvider>(sp =>
        {
            var options = sp.GetRequiredService<GooglePayOptions>();
            return Wallet(sp, WalletProvider.Describe(WalletProvider.GooglePay, "Google Pay", options.Enabled, options.MissingSettings,
                sp.GetRequiredService<StripeOptions>()));
        });
        services.AddSingleton<IProvider>(sp =>
        {
            var options = sp.GetRequiredService<ApplePayOptions>();
            return Wallet(sp, WalletProvider.Describe(WalletProvider.ApplePay, "Apple Pay", options.Enabled, options.MissingSettings,
                sp.GetRequiredService<StripeOptions>()));
        });
        return services;
    }

    private static WalletProvider Wallet(IServiceProvider sp, ProviderDescriptor descriptor) =>
        new(descriptor, sp.GetRequiredService<StripeProvider>(), sp.GetRequiredService<StripeWalletGateway>());
}
