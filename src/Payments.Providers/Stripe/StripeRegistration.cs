using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Payments.Core.Providers;

namespace Payments.Providers.Stripe;

public static class StripeRegistration
{
    public static IServiceCollection AddStripeProvider(this IServiceCollection services)
    {
        services.AddSingleton(sp => StripeOptions.From(sp.GetRequiredService<IConfiguration>()));
        // Each attempt has its own deadline (StripeOptions.RequestTimeout), so the client's own is off;
        // pooled connections are recycled so a DNS change at Stripe is picked up.
        services.AddHttpClient(StripeClient.HttpClientName)
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddSingleton<StripeClient>();
        services.AddSingleton<StripeProvider>();
        services.AddSingleton<IProvider>(sp => sp.GetRequiredService<StripeProvider>());
        return services;
    }
}
