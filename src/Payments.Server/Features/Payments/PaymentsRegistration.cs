using Payments.Server.Features.Payments.Refunds;
using Payments.Server.Features.Webhooks;

namespace Payments.Server.Features.Payments;

public static class PaymentsRegistration
{
    /// <summary>One-off payments: settlement, refunds, reconciliation, and the handler of payment webhooks.</summary>
    public static IServiceCollection AddPayments(this IServiceCollection services)
    {
        services.AddScoped<PaymentSettler>();
        services.AddScoped<IWebhookHandler, PaymentWebhooks>();
        services.AddScoped<RefundService>();
        services.AddScoped<IPaymentEffects, OutsideRefunds>();
        services.AddScoped<RefundReconciler>();
        services.AddScoped<ProviderRefresh>();
        services.AddSingleton(sp => ReconciliationOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<ReconciliationWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ReconciliationWorker>());
        return services;
    }
}
