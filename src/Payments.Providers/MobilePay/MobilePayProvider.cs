using Payments.Core.Errors;
using Payments.Core.Providers;

namespace Payments.Providers.MobilePay;

/// <summary>
/// Vipps MobilePay through the ePayment API v1: a <c>WALLET</c> payment with <c>userFlow: WEB_REDIRECT</c>
/// for exactly our amount, named by a reference derived from our payment id; the customer approves in
/// the Vipps or MobilePay app (or its landing page), which only reserves the money (AUTHORIZED); we
/// capture it (the <c>epayments.payment.authorized.v1</c> webhook, or the capture route) and it is paid
/// when Vipps reports it captured. Refunds and cancels go against the same reference.
/// </summary>
public sealed class MobilePayProvider(
    MobilePayOptions options, MobilePayClient client, MobilePayWebhookVerifier verifier, MobilePayWebhookEvents events,
    IMobilePayWebhookStore webhooks, MobilePayWebhookSecrets secrets)
    : ICheckoutProvider, ICaptureProvider, IRefundProvider, IWebhookProvider
{
    public const string ProviderName = "mobilepay";

    /// <summary>The API's limits for <c>paymentDescription</c>.</summary>
    internal const int MinDescription = 3, MaxDescription = 100;

    public ProviderDescriptor Descriptor { get; } = new()
    {
        Name = ProviderName,
        DisplayName = "Vipps MobilePay",
        IsEnabled = options.Enabled,
        IsLive = options.Live,
        MissingSettings = options.Missing,
        OwnsPaymentId = MobilePayReference.IsOurs,
    };

    public async Task<CheckoutResult> CreateCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        if (request.Mode != CheckoutMode.Hosted)
            throw PaymentsException.Validation("Vipps MobilePay payments are approved in the Vipps or MobilePay app: use mode \"hosted\".");
        var amount = MobilePayAmounts.ToMobilePay(request.Amount); // refuses (422) what Vipps cannot take
        var reference = MobilePayReference.For(request.PaymentId);
        var response = await client.CreatePaymentAsync(new MobilePayCreatePayment(
            amount, new MobilePayPaymentMethod("WALLET"), reference, "WEB_REDIRECT", request.SuccessUrl.AbsoluteUri,
            Description(request.Description)), request.IdempotencyKey, cancellationToken);
        if (!response.IsSuccess) throw MobilePayClient.Failed($"creating payment {reference}", response);
        var created = response.As<MobilePayCreated>();
        if (created?.RedirectUrl is not { } link || !Uri.TryCreate(link, UriKind.Absolute, out var redirect))
            throw new ProviderErrorException(ProviderName, $"Payment {reference} came back without a redirectUrl.");
        return new CheckoutResult(reference, redirect, ProviderPaymentStatus.Pending);
    }

    public async Task<ProviderPayment> GetPaymentAsync(string providerPaymentId, CancellationToken cancellationToken)
    {
        if (!MobilePayReference.IsReference(providerPaymentId)) return new ProviderPayment(providerPaymentId, ProviderPaymentStatus.Unknown, null);
        var payment = await client.GetPaymentAsync(providerPaymentId, cancellationToken);
        return payment is null
            ? new ProviderPayment(providerPaymentId, ProviderPaymentStatus.Unknown, null)
            : MobilePayMapper.ToPayment(payment, providerPaymentId);
    }

    /// <summary>
    /// Captures what the customer approved and is not captured yet (all of it, normally). Reads the payment
    /// first, because the capture names its amount: so a capture already done (by us with this key, or in
    /// Vipps's portal) is success without a second call, and a payment not approved yet is a 409.
    /// </summary>
    public async Task<ProviderPayment> CaptureAsync(string providerPaymentId, string idempotencyKey, CancellationToken cancellationToken)
    {
        if (!MobilePayReference.IsReference(providerPaymentId))
            throw PaymentsException.NotFound($"'{providerPaymentId}' is not a Vipps MobilePay reference.");
        var payment = await client.GetPaymentAsync(providerPaymentId, cancellationToken)
                      ?? throw PaymentsException.NotFound($"Vipps MobilePay does not know payment {providerPaymentId}.");
        if (payment.State == "CREATED")
            throw new PaymentsException(ErrorKind.Conflict, $"The customer has not approved Vipps MobilePay payment {providerPaymentId} yet.")
                .With("provider_payment_id", providerPaymentId);
        if (payment.State != "AUTHORIZED" || MobilePayMapper.Capturable(payment) is not { IsPositive: true } remaining)
            return MobilePayMapper.ToPayment(payment, providerPaymentId); // aborted, expired, cancelled, or captured already

        var response = await client.CaptureAsync(providerPaymentId, MobilePayAmounts.ToMobilePay(remaining), idempotencyKey, cancellationToken);
        if (response.IsSuccess && response.As<MobilePayPayment>() is { } captured)
            return MobilePayMapper.ToPayment(captured with { Reference = captured.Reference ?? providerPaymentId }, providerPaymentId, captured.PspReference);
        if (response.Status == 404) throw PaymentsException.NotFound($"Vipps MobilePay does not know payment {providerPaymentId}.");
        throw MobilePayClient.Failed($"capturing payment {providerPaymentId}", response);
    }

    public async Task<RefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        var amount = MobilePayAmounts.ToMobilePay(request.Amount);
        var response = await client.RefundAsync(request.ProviderPaymentId, amount, request.IdempotencyKey, cancellationToken);
        if (response.IsSuccess)
            return new RefundResult(RefundStatus.Succeeded, response.As<MobilePayPayment>()?.PspReference);
        if (response.Status is 400 or 404)
            // More than is captured and not refunded, a payment that was never captured, …: Vipps said no, nothing moved.
            return new RefundResult(RefundStatus.Failed, null, response.Describe());
        throw MobilePayClient.Failed($"refunding payment {request.ProviderPaymentId}", response);
    }

    /// <summary>
    /// Releases what is reserved and not captured (a payment we will not capture, e.g. approved after we
    /// gave up on it), so the customer's money is not held until the reservation lapses.
    /// </summary>
    public async Task<ProviderPayment> CancelAsync(string providerPaymentId, string idempotencyKey, CancellationToken cancellationToken)
    {
        if (!MobilePayReference.IsReference(providerPaymentId))
            throw PaymentsException.NotFound($"'{providerPaymentId}' is not a Vipps MobilePay reference.");
        var response = await client.CancelAsync(providerPaymentId, idempotencyKey, cancellationToken);
        if (response.IsSuccess && response.As<MobilePayPayment>() is { } cancelled)
            return MobilePayMapper.ToPayment(cancelled with { Reference = cancelled.Reference ?? providerPaymentId }, providerPaymentId);
        if (response.Status == 404) throw PaymentsException.NotFound($"Vipps MobilePay does not know payment {providerPaymentId}.");
        throw MobilePayClient.Failed($"cancelling payment {providerPaymentId}", response);
    }

    /// <summary>
    /// Registers <paramref name="url"/> for every ePayment event of our sales unit and keeps the secret Vipps
    /// answers (it is shown only once) in the store, where every node's verifier finds it.
    /// </summary>
    public async Task<MobilePayWebhook> RegisterWebhookAsync(Uri url, CancellationToken cancellationToken)
    {
        var eventTypes = MobilePayMapper.EventNames.Select(MobilePayMapper.EventType).ToList();
        var registered = await client.RegisterWebhookAsync(new MobilePayRegisterWebhook(url.AbsoluteUri, eventTypes), cancellationToken);
        var webhook = new MobilePayWebhook(registered.Id!, options.MerchantSerialNumber!, url, eventTypes, registered.Secret!);
        await webhooks.SaveAsync(webhook, cancellationToken);
        secrets.Forget();
        return webhook;
    }

    public Task<WebhookVerification> VerifyAsync(WebhookRequest request, CancellationToken cancellationToken) =>
        verifier.VerifyAsync(request, cancellationToken);

    public async Task<WebhookResult> ParseAsync(WebhookRequest request, WebhookVerification verification, CancellationToken cancellationToken)
    {
        var (parsed, problem) = await events.ParseAsync(request.Body, cancellationToken);
        return parsed is null
            ? WebhookResult.Rejected(verification.Method, $"Signed, but malformed: {problem}")
            : WebhookResult.Accepted(parsed, verification.Method);
    }

    /// <summary>The API takes 3 to 100 characters; ours are plan names ("Basic plan"), clipped without halving a surrogate pair.</summary>
    internal static string Description(string? text)
    {
        text = string.IsNullOrWhiteSpace(text) ? "Payment" : text.Trim();
        if (text.Length < MinDescription) text = text.PadRight(MinDescription, '.');
        if (text.Length <= MaxDescription) return text;
        return text[..(char.IsHighSurrogate(text[MaxDescription - 1]) ? MaxDescription - 1 : MaxDescription)];
    }
}
