using System.Net;
using Payments.Core.Money;
using Payments.Core.Providers;

namespace Payments.Providers.Stripe;

/// <summary>
/// Stripe behind our port: Checkout Sessions (hosted, <c>cs_…</c>) or PaymentIntents (embedded
/// card form, <c>pi_…</c>), signed webhooks, retrieval for verify, and refunds. Our payment's
/// provider id is the session (or the intent in embedded mode); its reference is the PaymentIntent,
/// which is what refunds and <c>payment_intent.*</c>/<c>charge.*</c> events name.
/// </summary>
public sealed class StripeProvider(StripeOptions options, StripeClient client, TimeProvider clock)
    : ICheckoutProvider, IRefundProvider, IWebhookProvider
{
    public const string ProviderName = "stripe";
    private const string Method = "hmac-sha256";

    public ProviderDescriptor Descriptor { get; } = new()
    {
        Name = ProviderName,
        DisplayName = "Stripe",
        CheckoutLabel = "Card (Stripe)",
        IsEnabled = options.Enabled,
        IsLive = options.Live,
        MissingSettings = options.MissingSettings,
        OwnsPaymentId = id => id.StartsWith("cs_", StringComparison.Ordinal) || id.StartsWith("pi_", StringComparison.Ordinal),
    };

    public async Task<CheckoutResult> CreateCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        if (!StripeAmounts.TryToStripe(request.Amount, out var amount, out var why))
            throw new ProviderErrorException(ProviderName, why);

        if (request.Mode == CheckoutMode.Embedded)
        {
            var created = await client.PostAsync<StripePaymentIntent>("v1/payment_intents",
                StripeRequests.PaymentIntent(request, amount), request.IdempotencyKey, cancellationToken);
            if (Declined(created) is { } declined) return declined;
            var intent = created.ValueOrThrow("Creating a PaymentIntent");
            return new CheckoutResult(intent.Id, null, StripeMapper.IntentStatus(intent), intent.ClientSecret, intent.Id,
                intent.LastPaymentError?.DeclineCode ?? intent.LastPaymentError?.Code, intent.LastPaymentError?.Message);
        }

        var response = await client.PostAsync<StripeCheckoutSession>("v1/checkout/sessions",
            StripeRequests.CheckoutSession(request, amount, clock.GetUtcNow()), request.IdempotencyKey, cancellationToken);
        var session = response.ValueOrThrow("Creating a Checkout Session");
        if (!Uri.TryCreate(session.Url, UriKind.Absolute, out var url))
            throw new ProviderErrorException(ProviderName, $"Checkout Session {session.Id} came back without a URL.");
        return new CheckoutResult(session.Id, url, ProviderPaymentStatus.Pending, ProviderReference: session.PaymentIntent?.Id);
    }

    public async Task<ProviderPayment> GetPaymentAsync(string providerPaymentId, CancellationToken cancellationToken)
    {
        if (providerPaymentId.StartsWith("cs_", StringComparison.Ordinal))
        {
            var response = await client.GetAsync<StripeCheckoutSession>($"v1/checkout/sessions/{Uri.EscapeDataString(providerPaymentId)}",
                StripeRequests.Expand("payment_intent.latest_charge"), cancellationToken);
            if (response.Status == HttpStatusCode.NotFound) return Unknown(providerPaymentId);
            var session = response.ValueOrThrow("Retrieving a Checkout Session");
            var intent = session.PaymentIntent?.Value;
            return new ProviderPayment(session.Id, StripeMapper.SessionStatus(session),
                StripeAmounts.FromStripe(session.AmountTotal, session.Currency),
                RefundedTotal(intent), session.PaymentIntent?.Id,
                session.Metadata?.GetValueOrDefault("payment_id") ?? session.ClientReferenceId,
                intent?.LastPaymentError?.DeclineCode ?? intent?.LastPaymentError?.Code, StripeMapper.FailureReason(intent?.LastPaymentError));
        }
        if (providerPaymentId.StartsWith("pi_", StringComparison.Ordinal))
        {
            var response = await client.GetAsync<StripePaymentIntent>($"v1/payment_intents/{Uri.EscapeDataString(providerPaymentId)}",
                StripeRequests.Expand("latest_charge"), cancellationToken);
            if (response.Status == HttpStatusCode.NotFound) return Unknown(providerPaymentId);
            var intent = response.ValueOrThrow("Retrieving a PaymentIntent");
            var status = StripeMapper.IntentStatus(intent);
            return new ProviderPayment(intent.Id, status,
                StripeAmounts.FromStripe(status == ProviderPaymentStatus.Succeeded ? intent.AmountReceived : intent.Amount, intent.Currency),
                RefundedTotal(intent), intent.Id, intent.Metadata?.GetValueOrDefault("payment_id"),
                intent.LastPaymentError?.DeclineCode ?? intent.LastPaymentError?.Code, StripeMapper.FailureReason(intent.LastPaymentError));
        }
        return Unknown(providerPaymentId);
    }

    public Task<WebhookVerification> VerifyAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        var check = StripeWebhookVerifier.Verify(request.Header(StripeWebhookVerifier.SignatureHeader), request.Body.Span,
            options.WebhookSecret!, request.ReceivedAt, options.WebhookTolerance);
        return Task.FromResult(check.IsValid ? WebhookVerification.Accepted(Method) : WebhookVerification.Rejected(Method, check.Failure!));
    }

    public Task<WebhookResult> ParseAsync(WebhookRequest request, WebhookVerification verification, CancellationToken cancellationToken)
    {
        var parsed = StripeEvents.Parse(request.Body.Span, out var why);
        return Task.FromResult(parsed is null ? WebhookResult.Rejected(Method, why!) : WebhookResult.Accepted(parsed, Method));
    }

    public async Task<RefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        if (!StripeAmounts.TryToStripe(request.Amount, out var amount, out var why))
            return new RefundResult(Core.Providers.RefundStatus.Failed, null, why);
        var intentId = await PaymentIntentOfAsync(request, cancellationToken);
        var response = await client.PostAsync<StripeRefund>("v1/refunds",
            StripeRequests.Refund(request, intentId, amount), request.IdempotencyKey, cancellationToken);
        // Stripe refusing this refund (already refunded, more than is left, disputed) is an answer, not an outage.
        if (response.Error is { } error && StripeMapper.IsRefundRefusal(error))
            return new RefundResult(Core.Providers.RefundStatus.Failed, null, error.ToString());
        var refund = response.ValueOrThrow("Creating a refund");
        return new RefundResult(StripeMapper.RefundStatus(refund.Status), refund.Id, refund.FailureReason);
    }

    /// <summary>Refunds go against the PaymentIntent; a hosted payment whose intent we never heard of asks its session.</summary>
    private async Task<string> PaymentIntentOfAsync(RefundRequest request, CancellationToken ct)
    {
        if (request.ProviderReference?.StartsWith("pi_", StringComparison.Ordinal) == true) return request.ProviderReference;
        if (request.ProviderPaymentId.StartsWith("pi_", StringComparison.Ordinal)) return request.ProviderPaymentId;
        var session = await GetPaymentAsync(request.ProviderPaymentId, ct);
        return session.ProviderReference
               ?? throw new ProviderErrorException(ProviderName, $"{request.ProviderPaymentId} has no PaymentIntent to refund (was it paid?).");
    }

    /// <summary>A card declined while creating a PaymentIntent is a result (HTTP 402, card_error), not an exception.</summary>
    private static CheckoutResult? Declined(StripeResponse<StripePaymentIntent> response) =>
        response.Error is { Type: "card_error", PaymentIntent.Id.Length: > 0 } error
            ? new CheckoutResult(error.PaymentIntent.Id, null, ProviderPaymentStatus.Declined, error.PaymentIntent.ClientSecret,
                error.PaymentIntent.Id, error.DeclineCode ?? error.Code, StripeMapper.FailureReason(error))
            : null;

    private static Money? RefundedTotal(StripePaymentIntent? intent) =>
        intent?.LatestCharge?.Value is { } charge ? StripeAmounts.FromStripe(charge.AmountRefunded, charge.Currency) : null;

    private static ProviderPayment Unknown(string id) => new(id, ProviderPaymentStatus.Unknown, null);
}
