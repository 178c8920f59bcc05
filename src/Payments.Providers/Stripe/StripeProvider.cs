using System.Net;
using Payments.Core.Money;
using Payments.Core.Providers;
using Sdk = global::Stripe;

namespace Payments.Providers.Stripe;

/// <summary>
/// Stripe behind our port: Checkout Sessions (hosted, <c>cs_…</c>) or PaymentIntents (embedded
/// card form, <c>pi_…</c>), signed webhooks, retrieval for verify, and refunds. Our payment's
/// provider id is the session (or the intent in embedded mode); its reference is the PaymentIntent,
/// which is what refunds and <c>payment_intent.*</c>/<c>charge.*</c> events name. Every call to
/// Stripe goes through Stripe.net (<see cref="StripeSdk"/>); webhooks are verified and read here.
/// </summary>
public sealed partial class StripeProvider(StripeOptions options, IHttpClientFactory httpClients, TimeProvider clock)
    : ICheckoutProvider, IRefundProvider, IWebhookProvider, ISubscriptionProvider
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

    // Built on first use: a disabled adapter (no key) never makes one.
    private readonly Lazy<Sdk.StripeClient> _stripe = new(() => StripeSdk.Create(options, httpClients));

    public async Task<CheckoutResult> CreateCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        if (!StripeAmounts.TryToStripe(request.Amount, out var amount, out var why))
            throw new ProviderErrorException(ProviderName, why);
        var idempotent = StripeRequests.Idempotent(request.IdempotencyKey);

        if (request.Mode == CheckoutMode.Embedded)
        {
            return await SendAsync("Creating a PaymentIntent", async ct =>
            {
                var intent = await V1.PaymentIntents.CreateAsync(StripeRequests.PaymentIntent(request, amount), idempotent, ct);
                return new CheckoutResult(intent.Id, null, StripeMapper.IntentStatus(intent), intent.ClientSecret, intent.Id,
                    intent.LastPaymentError?.DeclineCode ?? intent.LastPaymentError?.Code, intent.LastPaymentError?.Message);
            }, Declined, cancellationToken);
        }

        var session = await SendAsync("Creating a Checkout Session",
            ct => V1.Checkout.Sessions.CreateAsync(StripeRequests.CheckoutSession(request, amount, clock.GetUtcNow()), idempotent, ct),
            null, cancellationToken);
        if (!Uri.TryCreate(session.Url, UriKind.Absolute, out var url))
            throw new ProviderErrorException(ProviderName, $"Checkout Session {session.Id} came back without a URL.");
        return new CheckoutResult(session.Id, url, ProviderPaymentStatus.Pending, ProviderReference: session.PaymentIntentId);
    }

    public async Task<ProviderPayment> GetPaymentAsync(string providerPaymentId, CancellationToken cancellationToken)
    {
        if (providerPaymentId.StartsWith("cs_", StringComparison.Ordinal))
        {
            return await SendAsync("Retrieving a Checkout Session", async ct =>
            {
                var session = await V1.Checkout.Sessions.GetAsync(providerPaymentId, StripeRequests.SessionWithCharge(), null, ct);
                var intent = session.PaymentIntent;
                return new ProviderPayment(session.Id, StripeMapper.SessionStatus(session),
                    StripeAmounts.FromStripe(session.AmountTotal, session.Currency),
                    RefundedTotal(intent), intent?.Id ?? session.PaymentIntentId,
                    session.Metadata?.GetValueOrDefault("payment_id") ?? session.ClientReferenceId,
                    intent?.LastPaymentError?.DeclineCode ?? intent?.LastPaymentError?.Code, StripeMapper.FailureReason(intent?.LastPaymentError));
            }, NotFound(providerPaymentId), cancellationToken);
        }
        if (providerPaymentId.StartsWith("pi_", StringComparison.Ordinal))
        {
            return await SendAsync("Retrieving a PaymentIntent", async ct =>
            {
                var intent = await V1.PaymentIntents.GetAsync(providerPaymentId, StripeRequests.IntentWithCharge(), null, ct);
                var status = StripeMapper.IntentStatus(intent);
                return new ProviderPayment(intent.Id, status,
                    StripeAmounts.FromStripe(status == ProviderPaymentStatus.Succeeded ? intent.AmountReceived : intent.Amount, intent.Currency),
                    RefundedTotal(intent), intent.Id, intent.Metadata?.GetValueOrDefault("payment_id"),
                    intent.LastPaymentError?.DeclineCode ?? intent.LastPaymentError?.Code, StripeMapper.FailureReason(intent.LastPaymentError));
            }, NotFound(providerPaymentId), cancellationToken);
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
        return await SendAsync("Creating a refund", async ct =>
            {
                var refund = await V1.Refunds.CreateAsync(StripeRequests.Refund(request, intentId, amount),
                    StripeRequests.Idempotent(request.IdempotencyKey), ct);
                return new RefundResult(StripeMapper.RefundStatus(refund.Status), refund.Id, refund.FailureReason);
            },
            // Stripe refusing this refund (already refunded, more than is left, disputed) is an answer, not an outage.
            e => StripeMapper.IsRefundRefusal(e.StripeError)
                ? new RefundResult(Core.Providers.RefundStatus.Failed, null, StripeSdk.Describe(e))
                : null,
            cancellationToken);
    }

    private Sdk.V1Services V1 => _stripe.Value.V1;

    private Task<T> SendAsync<T>(string what, Func<CancellationToken, Task<T>> call, Func<Sdk.StripeException, T?>? answer,
        CancellationToken ct) where T : class =>
        StripeSdk.SendAsync(what, call, answer, options.MaxNetworkRetries + 1, ct);

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
    private static CheckoutResult? Declined(Sdk.StripeException e) =>
        e.StripeError is { Type: "card_error", PaymentIntent.Id.Length: > 0 } error
            ? new CheckoutResult(error.PaymentIntent.Id, null, ProviderPaymentStatus.Declined, error.PaymentIntent.ClientSecret,
                error.PaymentIntent.Id, error.DeclineCode ?? error.Code, StripeMapper.FailureReason(error))
            : null;

    /// <summary>An id Stripe does not know (404) is unknown to us too: nothing changes.</summary>
    private static Func<Sdk.StripeException, ProviderPayment?> NotFound(string id) =>
        e => e.HttpStatusCode == HttpStatusCode.NotFound ? Unknown(id) : null;

    private static Money? RefundedTotal(Sdk.PaymentIntent? intent) =>
        intent?.LatestCharge is { } charge ? StripeAmounts.FromStripe(charge.AmountRefunded, charge.Currency) : null;

    private static ProviderPayment Unknown(string id) => new(id, ProviderPaymentStatus.Unknown, null);
}
