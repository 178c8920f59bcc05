using Payments.Server.Features;
using Payments.Server.Features.Admin;
using Payments.Server.Features.Audit;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Credits;
using Payments.Server.Features.Idempotency;
using Payments.Server.Features.Payments.Refunds;
using Payments.Server.Features.Dummy;
using Payments.Server.Features.Pages;
using Payments.Server.Features.Payments;
using Payments.Server.Features.Receipts;
using Payments.Server.Features.Wallets;
using Payments.Server.Features.Webhooks;

namespace Payments.Server.Hosting;

public static class EndpointMapping
{
    /// <summary>Middleware and every route; each feature file maps its own.</summary>
    public static WebApplication MapPaymentsApi(this WebApplication app)
    {
        Observability.UseMetricsListener(app); // the metrics listener answers /metrics and nothing else
        TrustedProxies.Use(app); // first on the main listener: everything after sees the real client address and scheme
        app.UseExceptionHandler();
        app.UseKnownRequestCharsets();
        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.RejectInvalidCredentials();
        app.UseAuthorization();
        app.UseAntiforgery(); // validates the token of every form-bound endpoint (our HTML forms); JSON routes bind no forms
        app.UseRateLimiter();
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapOpenApi();
        ApiReference.Map(app);
        Observability.MapMetrics(app);
        Health.Map(app);
        ListPlans.Map(app);
        CreateIntent.Map(app);
        Verify.Map(app);
        ReceiptEndpoints.Map(app);
        Capture.Map(app);
        ReceiveWebhook.Map(app);
        RefundPayment.Map(app);
        ListPayments.Map(app);
        ListAudit.Map(app);
        Features.Outbox.WebhookEndpointsApi.Map(app);
        CreditsRegistration.MapCredits(app);
        Features.Billing.BillingRegistration.Map(app);
        Features.Subscriptions.SubscriptionsRegistration.Map(app);
        Features.Vendors.VendorsRegistration.Map(app);
        ApiKeys.Map(app);
        ThanksPage.Map(app);
        PaymentStatusEndpoint.Map(app);
        StorefrontPage.Map(app);
        SimulatePage.Map(app);
        SimulateSubscriptionPages.Map(app);
        AppleDomainAssociation.Map(app);
        AdminPages.Map(app);
        return app;
    }
}
