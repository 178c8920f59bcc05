using Payments.Server.Hosting;
using Payments.Core.Errors;
using Payments.Core.Providers;
using Payments.Providers;
using Payments.Server.Features.Webhooks;

namespace Payments.Server.Features.Vendors;

/// <summary>
/// <c>POST /api/v1/payment/webhook/{provider}/connect</c>: a provider's Connect endpoint (Stripe signs it with the
/// Connect endpoint's own secret, <c>STRIPE_CONNECT_WEBHOOK_SECRET</c>), the same intake as every webhook after the
/// proof: recorded once per event id, dispatched by record type (<c>account.updated</c> → <see cref="ConnectedAccountWebhooks"/>).
/// </summary>
public static class ConnectWebhookEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/payment/webhook/{provider}/connect", HandleAsync)
            .WithTags("Webhooks").WithName("ReceiveConnectWebhook")
            .WithSummary("A provider's Connect webhooks (connected accounts), signed with the Connect endpoint's secret.")
            .Produces<ReceiveWebhook.Response>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .RequireRateLimiting(Limits.RateLimits.Webhook)
            .DisableAntiforgery();

    private static Task<IResult> HandleAsync(
        string provider, HttpRequest request, ProviderRegistry providers, WebhookBatcher batcher, WebhookRejections rejections, MoneyLog money,
        TimeProvider clock, CancellationToken ct)
    {
        if (!providers.TryGet<IConnectWebhookVerifier>(provider, out var connect))
            throw PaymentsException.NotFound($"No enabled provider '{provider}' receives Connect webhooks here.");
        return ReceiveWebhook.ReceiveAsync(new ConnectProof(connect), request, batcher, rejections, money, clock, ct);
    }

    /// <summary>The provider's parser behind the Connect endpoint's proof.</summary>
    private sealed class ConnectProof(IConnectWebhookVerifier connect) : IWebhookProvider
    {
        public ProviderDescriptor Descriptor => connect.Descriptor;

        public Task<WebhookVerification> VerifyAsync(WebhookRequest request, CancellationToken cancellationToken) =>
            connect.VerifyConnectAsync(request, cancellationToken);

        public Task<WebhookResult> ParseAsync(WebhookRequest request, WebhookVerification verification, CancellationToken cancellationToken) =>
            connect.ParseAsync(request, verification, cancellationToken);
    }
}
