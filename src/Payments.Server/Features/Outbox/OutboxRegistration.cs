namespace Payments.Server.Features.Outbox;

public static class OutboxRegistration
{
    /// <summary>Outgoing webhooks: options, the dispatcher (a hosted service on every node) and its HttpClient.</summary>
    public static IServiceCollection AddOutbox(this IServiceCollection services)
    {
        services.AddSingleton(sp => OutboxOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        // The host's URL was registered by an admin; a redirect could lead anywhere, so it is not followed.
        services.AddHttpClient(OutboxDispatcher.HttpClientName)
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        return services;
    }
}
