using Microsoft.Extensions.DependencyInjection;

namespace Payments.Client;

/// <summary>Registers <see cref="PaymentsClient"/> as a typed client of IHttpClientFactory.</summary>
public static class PaymentsClientServiceCollectionExtensions
{
    /// <summary>
    /// <c>services.AddPaymentsClient(o => { o.BaseAddress = new("https://payments.example/"); o.ApiKey = "psk_…"; })</c>;
    /// inject <see cref="PaymentsClient"/>. The returned builder adds handlers or resilience as for any typed client.
    /// </summary>
    public static IHttpClientBuilder AddPaymentsClient(this IServiceCollection services, Action<PaymentsClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddPaymentsClient((_, options) => configure(options));
    }

    /// <summary>As above, with the service provider at hand (read IConfiguration, or a token source for the signed-in user).</summary>
    public static IHttpClientBuilder AddPaymentsClient(this IServiceCollection services, Action<IServiceProvider, PaymentsClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddHttpClient<PaymentsClient, PaymentsClient>((http, provider) =>
        {
            var options = new PaymentsClientOptions();
            configure(provider, options);
            return new PaymentsClient(http, options);
        });
    }
}
