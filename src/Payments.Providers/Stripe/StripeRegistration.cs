using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Payments.Core.Providers;

namespace Payments.Providers.Stripe;

public static class StripeRegistration
{
    public static IServiceCollection AddStripeProvider(this IServiceCollection services)
    {
        services.AddSingleton(sp => StripeOptions.From(sp.GetRequiredService<IConfiguration>()));
        // Stripe.net's SystemNetHttpClient sends through this client; its timeout is set per attempt
        // (StripeOptions.RequestTimeout) where the SDK client is built. Pooled connections are recycled
        // so a DNS change at Stripe is picked up although the client lives as long as the service.
        services.AddHttpClient(StripeSdk.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddSingleton<StripeProvider>();
        services.AddSingleton<IProvider>(sp => sp.GetRequiredService<StripeProvider>());
        return services;
    }
}
