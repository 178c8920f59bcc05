using Payments.Server.Features;
using Payments.Server.Features.Dummy;
using Payments.Server.Features.Pages;
using Payments.Server.Features.Payments;
using Payments.Server.Features.Webhooks;

namespace Payments.Server.Hosting;

public static class EndpointMapping
{
    /// <summary>Middleware and every route; each feature file maps its own.</summary>
    public static WebApplication MapPaymentsApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseStaticFiles();

        app.MapOpenApi();
        Health.Map(app);
        ListPlans.Map(app);
        CreateIntent.Map(app);
        Verify.Map(app);
        Capture.Map(app);
        ReceiveWebhook.Map(app);
        ThanksPage.Map(app);
        SimulatePage.Map(app);
        return app;
    }
}
