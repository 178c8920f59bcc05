using Payments.Core.Errors;
using Payments.Core.Providers;

namespace Payments.Providers.PayPal;

/// <summary>
/// PayPal Checkout through Orders v2: an order with <c>intent=CAPTURE</c> for exactly our amount,
/// the buyer approves on PayPal, and money moves when we capture (the capture route, or the
/// CHECKOUT.ORDER.APPROVED webhook). Refunds go against the capture.
/// </summary>
public sealed class PayPalProvider(PayPalOptions options, PayPalClient client, PayPalWebhookVerifier verifier, PayPalWebhookEvents events)
    : ICheckoutProvider, IRefundProvider, ICaptureProvider, IWebhookProvider
{
    public const string ProviderName = "paypal";

    /// <summary>Capture answers (422 issues) that mean the buyer's money was refused: results, not errors.</summary>
    private static readonly HashSet<string> DeclineIssues =
    [
        "INSTRUMENT_DECLINED", "TRANSACTION_REFUSED", "PAYER_CANNOT_PAY", "PAYEE_BLOCKED_TRANSACTION",
        "TRANSACTION_BLOCKED_BY_PAYEE", "COMPLIANCE_VIOLATION", "MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED",
        "REDIRECT_PAYER_FOR_ALTERNATE_FUNDING",
    ];

    /// <summary>PayPal's limits for purchase_units[].description and refund note_to_payer (both at least 1 character).</summary>
    internal const int MaxDescription = 127, MaxNoteToPayer = 255;

    public ProviderDescriptor Descriptor { get; } = new()
    {
        Name = ProviderName,
        DisplayName = "PayPal",
        IsEnabled = options.Enabled,
        IsLive = options.Live,
        MissingSettings = options.Missing,
        // PayPal order ids have no prefix; see PayPalIds for the shape we recognise.
        OwnsPaymentId = PayPalIds.IsOrderId,
    };

    public async Task<CheckoutResult> CreateCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        var amount = PayPalAmounts.ToPayPal(request.Amount); // refuses (422) what PayPal cannot take exactly
        var unit = new PayPalPurchaseUnitRequest(
            ReferenceId: request.PaymentId,
            // Echoed on captures and refunds, so every later event finds our payment.
            CustomId: request.PaymentId,
            InvoiceId: request.PaymentId,
            Description: Clip(request.Description, MaxDescription),
            Amount: amount);
        var experience = new PayPalExperienceContext(
            request.SuccessUrl.AbsoluteUri, request.CancelUrl.AbsoluteUri, UserAction: "PAY_NOW", ShippingPreference: "NO_SHIPPING");
        var order = await client.CreateOrderAsync(
            new PayPalCreateOrder("CAPTURE", [unit], new PayPalPaymentSource(new PayPalWallet(experience))),
            request.IdempotencyKey, cancellationToken);

        var approve = PayPalMapper.ApproveLink(order)
                      ?? throw new ProviderErrorException(ProviderName, $"Order {order.Id} came back without an approve link (status {order.Status}).");
        return new CheckoutResult(order.Id!, approve, ProviderPaymentStatus.Pending);
    }

    public async Task<ProviderPayment> GetPaymentAsync(string providerPaymentId, CancellationToken cancellationToken)
    {
        if (!PayPalIds.IsResourceId(providerPaymentId)) return new ProviderPayment(providerPaymentId, ProviderPaymentStatus.Unknown, null);
        var order = await client.GetOrderAsync(providerPaymentId, cancellationToken);
        return order is null
            ? new ProviderPayment(providerPaymentId, ProviderPaymentStatus.Unknown, null)
            : PayPalMapper.ToPayment(order, providerPaymentId);
    }

    public async Task<ProviderPayment> CaptureAsync(string providerPaymentId, string idempotencyKey, CancellationToken cancellationToken)
    {
        if (!PayPalIds.IsResourceId(providerPaymentId))
            throw PaymentsException.NotFound($"'{providerPaymentId}' is not a PayPal order id.");
        var response = await client.CaptureOrderAsync(providerPaymentId, idempotencyKey, cancellationToken);
        if (response.IsSuccess && response.As<PayPalOrder>() is { } order && PayPalMapper.ToPayment(order, providerPaymentId) is { ProviderReference: not null } captured)
            return captured;

        var issue = response.Issue;
        if (response.IsSuccess || issue == "ORDER_ALREADY_CAPTURED")
            // Captured before (by us with another request id, or by PayPal's JS SDK): success. The order says for how much.
            return await GetPaymentAsync(providerPaymentId, cancellationToken);
        if (issue is not null && DeclineIssues.Contains(issue))
            return new ProviderPayment(providerPaymentId, ProviderPaymentStatus.Declined, null,
                FailureCode: issue, FailureMessage: $"PayPal declined the capture ({issue}).");
        if (issue == "ORDER_NOT_APPROVED")
            throw new PaymentsException(ErrorKind.Conflict, $"The buyer has not approved PayPal order {providerPaymentId} yet.")
                .With("provider_payment_id", providerPaymentId);
        if (response.Status == 404)
            throw PaymentsException.NotFound($"PayPal does not know order {providerPaymentId}.");
        throw new ProviderErrorException(ProviderName, $"capturing order {providerPaymentId} failed: {response.Describe()}", issue);
    }

    /// <summary>
    /// With <c>PAYPAL_WEBHOOK_ID</c>: PayPal's signature (offline certificate check or PayPal's
    /// verification API). Without it there is nothing to verify a signature with: the delivery is
    /// accepted as a pointer only ("refetch"), and <see cref="ParseAsync"/> applies PayPal's own answer.
    /// </summary>
    public async Task<WebhookVerification> VerifyAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        if (options.WebhookId is not { } webhookId) return WebhookVerification.Unsigned(PayPalWebhookEvents.RefetchMethod);
        var verification = await verifier.VerifyAsync(request, webhookId, cancellationToken);
        return verification.Valid
            ? WebhookVerification.Accepted(verification.Method)
            : WebhookVerification.Rejected(verification.Method, verification.Failure ?? "Not verified.");
    }

    public async Task<WebhookResult> ParseAsync(WebhookRequest request, WebhookVerification verification, CancellationToken cancellationToken)
    {
        var envelope = PayPalWebhookEvents.Envelope(request.Body.Span);
        if (verification.Method == PayPalWebhookEvents.RefetchMethod)
            return envelope is null
                ? WebhookResult.Rejected(PayPalWebhookEvents.RefetchMethod, "Not a PayPal event: 'id' and 'event_type' are required.")
                : await events.RefetchAsync(envelope, cancellationToken);
        if (envelope is null)
            return WebhookResult.Rejected(verification.Method, "Signed, but not a PayPal event: 'id' and 'event_type' are required.");
        if (PayPalWebhookEvents.MoneyProblem(envelope.Resource) is { } money)
            return WebhookResult.Rejected(verification.Method, $"Signed, but malformed: {money}");
        return WebhookResult.Accepted(await events.FromVerifiedAsync(envelope, cancellationToken), verification.Method);
    }

    public async Task<RefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        var captureId = request.ProviderReference
                        ?? (await GetPaymentAsync(request.ProviderPaymentId, cancellationToken)).ProviderReference
                        ?? throw new PaymentsException(ErrorKind.Conflict, $"PayPal order {request.ProviderPaymentId} has no capture to refund.");
        var amount = PayPalAmounts.ToPayPal(request.Amount);
        var response = await client.RefundCaptureAsync(
            captureId, new PayPalRefundRequest(amount, request.PaymentId, Clip(request.Reason, MaxNoteToPayer)), request.IdempotencyKey, cancellationToken);

        if (response.IsSuccess && response.As<PayPalRefund>() is { } refund)
            return new RefundResult(PayPalMapper.RefundStatusOf(refund.Status), refund.Id, refund.StatusDetails?.Reason);
        if (response.Status == 422) // REFUND_AMOUNT_EXCEEDED, CAPTURE_FULLY_REFUNDED, …: PayPal said no; nothing moved
            return new RefundResult(RefundStatus.Failed, null, response.Describe());
        throw new ProviderErrorException(ProviderName, $"refunding capture {captureId} failed: {response.Describe()}", response.Issue);
    }

    /// <summary>
    /// Free text as PayPal takes it: null when blank (PayPal refuses an empty string), else at most
    /// <paramref name="max"/> characters (a longer one is refused with 400 and nothing moves; our own
    /// limits are wider, e.g. a refund reason may have 500), never cutting a surrogate pair in half.
    /// </summary>
    internal static string? Clip(string? text, int max)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (text.Length <= max) return text;
        return text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)];
    }
}
