using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Payments.Core.Providers;

namespace Payments.Providers.MobilePay;

public static class MobilePayRegistration
{
    public static IServiceCollection AddMobilePayProvider(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => MobilePayOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<MobilePayAccessTokens>();
        // The host keeps registered webhooks in its database and registers its store after this; a host
        // without one can still run MobilePay with MOBILEPAY_WEBHOOK_SECRET, but cannot register webhooks.
        services.TryAddSingleton<IMobilePayWebhookStore, NoMobilePayWebhookStore>();

        // The typed client ends up inside singletons, so the handler is never rotated by the factory;
        // pooled connections are recycled instead, which is what keeps DNS changes visible.
        services.AddHttpClient<MobilePayClient>((sp, http) =>
            {
                var options = sp.GetRequiredService<MobilePayOptions>();
                http.BaseAddress = options.ApiBase;
                http.Timeout = options.Timeout;
            })
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        services.AddSingleton<MobilePayWebhookSecrets>();
        services.AddSingleton<MobilePayWebhookVerifier>();
        services.AddSingleton<MobilePayWebhookEvents>();
        services.AddSingleton<MobilePayProvider>();
        services.AddSingleton<IProvider>(sp => sp.GetRequiredService<MobilePayProvider>());
        return services;
    }
}

/// <summary>A host that keeps no webhooks: nothing stored, and registering says why it cannot.</summary>
internal sealed class NoMobilePayWebhookStore : IMobilePayWebhookStore
{
    public Task SaveAsync(MobilePayWebhook webhook, CancellationToken ct) =>
        throw new InvalidOperationException("This host keeps no Vipps MobilePay webhooks (no IMobilePayWebhookStore is registered).");

    public Task<IReadOnlyList<MobilePayWebhook>> ListAsync(string merchantSerialNumber, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<MobilePayWebhook>>([]);
}
