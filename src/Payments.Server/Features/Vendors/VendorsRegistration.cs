using Payments.Server.Features.Payments;
using Payments.Server.Features.Webhooks;

namespace Payments.Server.Features.Vendors;

/// <summary>Marketplace (issue 14): vendors, connected accounts, destination charges and their ledger.</summary>
public static class VendorsRegistration
{
    public static IServiceCollection AddVendors(this IServiceCollection services)
    {
        services.AddVendorPolicy();
        services.AddScoped<IPaymentEffects, VendorLedgerEffects>();
        services.AddScoped<IWebhookHandler, ConnectedAccountWebhooks>();
        return services;
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        VendorsAdmin.Map(app);
        VendorConfig.Map(app);
        VendorBalance.Map(app);
        VendorCreateIntent.Map(app);
        ConnectWebhookEndpoint.Map(app);
        DummyOnboardingPage.Map(app);
    }
}
