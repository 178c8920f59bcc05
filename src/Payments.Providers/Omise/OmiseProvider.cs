using Payments.Core.Errors;
using Payments.Core.Providers;

namespace Payments.Providers.Omise;

/// <summary>
/// Omise (Opn Payments) through hosted, redirect-based charges: <c>POST /charges</c> for exactly our amount
/// with an offsite source (<c>OMISE_SOURCE_TYPE</c>, PromptPay by default), our payment id in
/// <c>metadata[payment_id]</c> and the thanks page as <c>return_uri</c>; the customer pays on the page the
/// charge's <c>authorize_uri</c> names (for live PromptPay, which has none, on the QR code Omise hosts),
/// and Omise tells us by webhook, which we never believe without asking the API (see
/// <see cref="OmiseWebhookEvents"/>). Our provider payment id is the charge id (<c>chrg_…</c>). No card
/// data passes through us; a card flow needs Omise.js in the buyer's browser, which is the embedded mode's
/// job and not built here.
/// </summary>
public sealed class OmiseProvider(OmiseOptions options, OmiseClient client, OmiseWebhookEvents events, TimeProvider clock)
    : ICheckoutProvider, IRefundProvider, IWebhookProvider
{
    public const string ProviderName = "omise";

    /// <summary>Omise's limit for a charge description.</summary>
    internal const int MaxDescription = 255;

    public ProviderDescriptor Descriptor { get; } = new()
    {
        Name = ProviderName,
        DisplayName = "Omise",
        // The storefront offers the way the customer will actually pay.
        CheckoutLabel = options.SourceType == "promptpay" ? "PromptPay (Omise)" : null,
        IsEnabled = options.Enabled,
        IsLive = options.Live,
        MissingSettings = options.MissingSettings,
        OwnsPaymentId = OmiseIds.IsChargeId,
    };

    public async Task<CheckoutResult> CreateCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        if (request.Mode != CheckoutMode.Hosted)
            throw PaymentsException.Validation("Omise payments here are hosted (a redirect to Omise); there is no embedded mode.");
        if (options.SourceType == "promptpay" && request.Amount.Currency.Code != "THB")
            throw PaymentsException.Validation($"PromptPay takes THB only; this price is in {request.Amount.Currency.Code}.")
                .With("currency", request.Amount.Currency.Code);
        var (amount, currency) = OmiseAmounts.ToOmise(request.Amount); // refuses (422) what Omise cannot take

        var metadata = new Dictionary<string, string>(request.Metadata ?? new Dictionary<string, string>()) { ["payment_id"] = request.PaymentId };
        var charge = await client.CreateChargeAsync(new OmiseCreateCharge(
            amount, currency,
            Description: Clip(request.Description),
            // One return address for every outcome: the thanks page follows the payment, whatever happened.
            ReturnUri: request.SuccessUrl.AbsoluteUri,
            Metadata: metadata,
            Source: new OmiseSourceRequest(options.SourceType),
            ExpiresAt: request.ExpiresAt), request.IdempotencyKey, cancellationToken);

        var payment = OmiseMapper.ToPayment(charge, charge.Id!);
        if (payment.Status == ProviderPaymentStatus.Declined)
            return new CheckoutResult(charge.Id!, null, ProviderPaymentStatus.Declined, FailureCode: payment.FailureCode, FailureMessage: payment.FailureMessage);
        var redirect = OmiseMapper.RedirectOf(charge)
                       ?? throw new ProviderErrorException(ProviderName, $"Charge {charge.Id} came back without an authorize_uri or QR code (status {charge.Status}).");
        return new CheckoutResult(charge.Id!, redirect, ProviderPaymentStatus.Pending);
    }

    public async Task<ProviderPayment> GetPaymentAsync(string providerPaymentId, CancellationToken cancellationToken)
    {
        if (!OmiseIds.IsChargeId(providerPaymentId)) return new ProviderPayment(providerPaymentId, ProviderPaymentStatus.Unknown, null);
        var charge = await client.GetChargeAsync(providerPaymentId, cancellationToken);
        return charge is null
            ? new ProviderPayment(providerPaymentId, ProviderPaymentStatus.Unknown, null)
            : OmiseMapper.ToPayment(charge, providerPaymentId);
    }

    /// <summary>
    /// Refunds against the charge. Before asking, the charge's refunds are searched for one carrying this
    /// idempotency key in its metadata: a refund whose answer was lost is then found, not made twice,
    /// whether or not Omise honours the <c>Idempotency-Key</c> header it is also sent with.
    /// </summary>
    public async Task<RefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        var chargeId = request.ProviderPaymentId;
        if (!OmiseIds.IsChargeId(chargeId)) throw PaymentsException.NotFound($"'{chargeId}' is not an Omise charge id.");
        var (amount, _) = OmiseAmounts.ToOmise(request.Amount);

        var earlier = (await client.ListRefundsAsync(chargeId, cancellationToken))
            .FirstOrDefault(r => OmiseJson.Text(r.Metadata, "refund_id") == request.IdempotencyKey);
        if (earlier is not null) return new RefundResult(OmiseMapper.RefundStatusOf(earlier.Status), earlier.Id);

        var response = await client.CreateRefundAsync(chargeId, new OmiseCreateRefund(amount, new Dictionary<string, string>
        {
            ["refund_id"] = request.IdempotencyKey,
            ["payment_id"] = request.PaymentId,
        }), request.IdempotencyKey, cancellationToken);
        if (response.IsSuccess && response.As<OmiseRefund>() is { Object: "refund" } refund)
            return new RefundResult(OmiseMapper.RefundStatusOf(refund.Status), refund.Id);
        if (response.Status is 400 or 404 or 422) // Omise said no (more than is refundable, not refundable yet, …): nothing moved
            return new RefundResult(RefundStatus.Failed, null, response.Describe());
        throw new ProviderErrorException(ProviderName, $"refunding charge {chargeId} failed: {response.Describe()}", response.Code);
    }

    /// <summary>
    /// With <c>OMISE_WEBHOOK_SECRET</c>: the signature must hold ("hmac-sha256"). Without it there is nothing
    /// to verify with (and Omise's older events are not signed): the delivery is accepted as a pointer only
    /// ("refetch", recorded as such), and <see cref="ParseAsync"/> applies what the API answers.
    /// </summary>
    public Task<WebhookVerification> VerifyAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        if (options.WebhookKey is not { } key) return Task.FromResult(WebhookVerification.Accepted(OmiseWebhookEvents.RefetchMethod));
        var check = OmiseWebhookVerifier.Verify(
            request.Header(OmiseWebhookVerifier.SignatureHeader), request.Header(OmiseWebhookVerifier.TimestampHeader),
            request.Body.Span, key, clock.GetUtcNow(), options.WebhookTolerance);
        return Task.FromResult(check.IsValid
            ? WebhookVerification.Accepted(OmiseWebhookVerifier.Method)
            : WebhookVerification.Rejected(OmiseWebhookVerifier.Method, check.Failure ?? "Not verified."));
    }

    public async Task<WebhookResult> ParseAsync(WebhookRequest request, WebhookVerification verification, CancellationToken cancellationToken)
    {
        if (Envelope(request) is not { } envelope)
            return WebhookResult.Rejected(verification.Method, "Not an Omise event: 'object': 'event', 'id' and 'key' are required.");
        var verified = verification.Method == OmiseWebhookVerifier.Method;
        return WebhookResult.Accepted(await events.FromDeliveryAsync(envelope, verified, cancellationToken), verification.Method);
    }

    private static OmiseEvent? Envelope(WebhookRequest request) => OmiseWebhookEvents.Envelope(request.Body.Span);

    /// <summary>Free text as Omise takes it: null when blank, at most 255 characters, never half a surrogate pair.</summary>
    internal static string? Clip(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (text.Length <= MaxDescription) return text;
        return text[..(char.IsHighSurrogate(text[MaxDescription - 1]) ? MaxDescription - 1 : MaxDescription)];
    }
}
