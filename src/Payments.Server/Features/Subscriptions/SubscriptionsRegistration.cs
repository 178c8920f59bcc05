using Payments.Core.Providers;
using Payments.Server.Features.Webhooks;

namespace Payments.Server.Features.Subscriptions;

/// <summary>Subscriptions, invoices and the portal (issue 13 items 3–6), on top of Features/Billing.</summary>
public static class SubscriptionsRegistration
{
    public static IServiceCollection AddSubscriptions(this IServiceCollection services)
    {
        services.AddSingleton(sp => SubscriptionOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<SubscriptionSync>();
        services.AddScoped<SubscriptionApplier>();
        services.AddScoped<InvoiceApplier>();
        services.AddSingleton<PortalLinks>();
        services.AddScoped<IBillingNotices, BillingMail>();
        foreach (var type in new[] { WebhookRecordType.Subscription, WebhookRecordType.Invoice, WebhookRecordType.Customer })
            services.AddScoped<IWebhookHandler>(sp => new BillingEventWebhooks(type, sp.GetRequiredService<SubscriptionSync>(),
                sp.GetRequiredService<global::Payments.Providers.ProviderRegistry>()));
        services.AddSingleton<SubscriptionWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<SubscriptionWorker>());
        return services;
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/subscriptions").WithTags("Subscriptions");
        CreateSubscription.Map(group);
        SubscriptionEndpoints.Map(group);
        BillingPortal.Map(app);
        PortalLinks.Map(app);
        SubscribedPage.Map(app);
    }
}
