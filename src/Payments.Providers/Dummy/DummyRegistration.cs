using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Payments.Core.Providers;

namespace Payments.Providers.Dummy;

public static class DummyRegistration
{
    public static IServiceCollection AddDummyProvider(this IServiceCollection services)
    {
        services.AddSingleton(sp => DummyOptions.From(sp.GetRequiredService<IConfiguration>()));
        // IDummyCheckoutStore, where the dummy's checkouts live, comes from the host (the service
        // registers one over its database): the provider knows nothing about storage.
        services.AddSingleton<DummyProvider>();
        services.AddSingleton<IProvider>(sp => sp.GetRequiredService<DummyProvider>());
        return services;
    }
}
