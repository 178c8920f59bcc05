using Payments.Server.Data.Sql;
using Payments.Server.Features.Billing.Vies;

namespace Payments.Server.Features.Billing;

/// <summary>Recurring billing, first part (issue 13 items 1 and 2): the catalog and its sync, customers, VAT and VIES.</summary>
public static class BillingRegistration
{
    public static IServiceCollection AddBilling(this IServiceCollection services)
    {
        services.AddSingleton(sp => CatalogConfiguration.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => BillingOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<BillingLocks>();
        DummyBillingStore.Register(services); // where the dummy provider keeps its catalog and customers: our database
        services.AddHttpClient(ViesClient.HttpClientName);
        services.AddSingleton<ViesClient>();
        services.AddScoped<CatalogSync>();
        services.AddScoped<CustomerSync>();
        services.AddScoped<BillingCustomers>();
        services.AddHostedService<CatalogSyncOnStart>();
        services.AddSingleton<BillingWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<BillingWorker>());
        return services;
    }

    /// <summary>Resolves what configuration decides, so a bad price or VAT setting stops start-up naming it.</summary>
    public static void Validate(IServiceProvider services)
    {
        _ = services.GetRequiredService<Core.Billing.Catalog>();
        _ = services.GetRequiredService<BillingOptions>();
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var billing = app.MapGroup("/api/v1/billing").WithTags("Billing");
        ListPrices.Map(billing);
        BillingInfo.Map(billing);
    }
}
