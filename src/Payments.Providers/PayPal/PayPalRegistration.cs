using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Payments.Core.Providers;

namespace Payments.Providers.PayPal;

public static class PayPalRegistration
{
    public static IServiceCollection AddPayPalProvider(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => PayPalOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<PayPalAccessTokens>();

        // The typed clients end up inside singletons, so the handler is never rotated by the factory;
        // pooled connections are recycled instead, which is what keeps DNS changes visible.
        services.AddHttpClient<PayPalClient>((sp, http) =>
            {
                var options = sp.GetRequiredService<PayPalOptions>();
                http.BaseAddress = options.ApiBase;
                http.Timeout = options.Timeout;
            })
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddHttpClient<IPayPalCertificateSource, HttpsPayPalCertificateSource>(http =>
            {
                http.Timeout = TimeSpan.FromSeconds(10);
                http.MaxResponseContentBufferSize = 64 * 1024; // a PEM chain is a few KB
            })
            .UseSocketsHttpHandler((handler, _) =>
            {
                handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
                // The URL was checked to be https on paypal.com; a redirect could lead anywhere.
                handler.AllowAutoRedirect = false;
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        services.AddSingleton<PayPalWebhookVerifier>();
        services.AddSingleton<PayPalWebhookEvents>();
        services.AddSingleton<PayPalProvider>();
        services.AddSingleton<IProvider>(sp => sp.GetRequiredService<PayPalProvider>());
        return services;
    }
}
