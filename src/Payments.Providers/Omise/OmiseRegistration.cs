using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Payments.Core.Providers;

namespace Payments.Providers.Omise;

public static class OmiseRegistration
{
    public static IServiceCollection AddOmiseProvider(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => OmiseOptions.From(sp.GetRequiredService<IConfiguration>()));
        // The typed client ends up inside singletons, so the handler is never rotated by the factory;
        // pooled connections are recycled instead, which keeps DNS changes at Omise visible.
        services.AddHttpClient<OmiseClient>((sp, http) =>
            {
                var options = sp.GetRequiredService<OmiseOptions>();
                http.BaseAddress = options.ApiBase;
                http.Timeout = options.Timeout;
            })
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddSingleton<OmiseWebhookEvents>();
        services.AddSingleton<OmiseProvider>();
        services.AddSingleton<IProvider>(sp => sp.GetRequiredService<OmiseProvider>());
        return services;
    }
}
