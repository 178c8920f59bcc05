namespace Payments.Server.Features.Webhooks;

public static class WebhooksRegistration
{
    /// <summary>
    /// The one webhook intake. Features add a handler per record type they own
    /// (<c>services.AddScoped&lt;IWebhookHandler, …&gt;()</c>); events of other types are recorded and answered 200.
    /// </summary>
    public static IServiceCollection AddWebhookIntake(this IServiceCollection services) => services.AddSingleton<WebhookBatcher>().AddSingleton<WebhookRejections>();
}
