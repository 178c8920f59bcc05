using Payments.Core;
using Payments.Core.Money;
using Payments.Core.Providers;
using Payments.Providers.Common;

namespace Payments.Providers.Dummy;

/// <summary>
/// A development provider with a real wire format: a hosted page at <c>/payments/simulate/{dm_id}</c>
/// where a person pays, fails or cancels, and HMAC-signed webhooks (<c>Dummy-Signature</c>)
/// that go through exactly the same intake as a real provider's. Its checkouts are kept by the host
/// (<see cref="IDummyCheckoutStore"/>, in the service's database), so they outlive a restart, and so are its
/// billing catalog and customers (<see cref="IDummyBillingStore"/>; DummyProvider.Billing.cs).
/// </summary>
public sealed partial class DummyProvider(DummyOptions options, IDummyCheckoutStore checkouts, TimeProvider clock, IDummyBillingStore? billing = null)
    : ICheckoutProvider, IRefundProvider, IWebhookProvider, ISubscriptionProvider
{
    public const string ProviderName = "dummy";

    public ProviderDescriptor Descriptor { get; } = new()
    {
        Name = ProviderName,
        DisplayName = "Dummy",
        CheckoutLabel = "Dummy provider (test, no money moves)",
        IsEnabled = options.Enabled,
        OwnsPaymentId = id => id.StartsWith(DummyWireFormat.IdPrefix, StringComparison.Ordinal),
    };

    public async Task<CheckoutResult> CreateCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        var candidate = new DummyCheckout(Ids.New("dm", clock.GetUtcNow()), request.PaymentId, request.Amount,
            request.SuccessUrl.AbsoluteUri, request.CancelUrl.AbsoluteUri, ProviderPaymentStatus.Pending, 0);
        var checkout = await checkouts.CreateOnceAsync(request.IdempotencyKey, candidate, cancellationToken);
        // The dummy's "hosted page" lives on our own host, next to the success URL we were given.
        var page = new Uri(request.SuccessUrl, $"/payments/simulate/{checkout.Id}");
        return new CheckoutResult(checkout.Id, page, ProviderPaymentStatus.Pending);
    }

    public async Task<ProviderPayment> GetPaymentAsync(string providerPaymentId, CancellationToken cancellationToken)
    {
        var checkout = await checkouts.FindAsync(providerPaymentId, cancellationToken);
        return checkout is null
            ? new ProviderPayment(providerPaymentId, ProviderPaymentStatus.Unknown, null)
            : new ProviderPayment(checkout.Id, checkout.Status, checkout.Amount,
                new Money(checkout.RefundedMinor, checkout.Amount.Currency), PaymentId: checkout.PaymentId);
    }

    private const string Method = "hmac-sha256";

    public Task<WebhookVerification> VerifyAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        var check = TimestampedHmacSignature.Verify(
            request.Header(DummyWireFormat.SignatureHeader), request.Body.Span, options.WebhookSecret, request.ReceivedAt, options.Tolerance);
        return Task.FromResult(check.IsValid ? WebhookVerification.Accepted(Method) : WebhookVerification.Rejected(Method, check.Failure!));
    }

    public Task<WebhookResult> ParseAsync(WebhookRequest request, WebhookVerification verification, CancellationToken cancellationToken) =>
        Task.FromResult(Parse(request));

    private static WebhookResult Parse(WebhookRequest request)
    {
        const string method = Method;

        var body = DummyWireFormat.Deserialize(request.Body.Span);
        if (body is null || string.IsNullOrEmpty(body.Id) || string.IsNullOrEmpty(body.Type))
            return WebhookResult.Rejected(method, "Body is not a dummy event: 'id' and 'type' are required.");
        if (body.Type.StartsWith("account.", StringComparison.Ordinal)) return ParseAccount(request.Body.Span, method); // DummyProvider.Connect.cs

        if (DummyWireFormat.RecordTypeOf(body.Type) is { } record)
        {
            var recordId = record switch
            {
                WebhookRecordType.Subscription => body.SubscriptionId,
                WebhookRecordType.Invoice => body.InvoiceId,
                _ => body.CustomerId,
            };
            if (string.IsNullOrEmpty(recordId))
                return WebhookResult.Rejected(method, $"A {body.Type} event names its record (subscription_id, invoice_id or customer_id).");
            // Only ids: what the record is now is asked of the dummy, never read from a body.
            return WebhookResult.Accepted(new ProviderEvent(body.Id, body.Type, ProviderEventKind.Informational)
                { RecordType = record, RecordId = recordId, ProviderCustomerId = body.CustomerId }, method);
        }

        var kind = DummyWireFormat.KindOf(body.Type);
        Money? amount = null;
        if (body.Amount is { } minor && body.Currency is { } code)
        {
            if (!Currency.TryOfExactCode(code, out var currency))
                return WebhookResult.Rejected(method, $"'{code}' is not an ISO 4217 currency code (three upper-case letters).");
            amount = new Money(minor, currency);
        }
        if (kind == ProviderEventKind.PaymentSucceeded && (amount is null || string.IsNullOrEmpty(body.PaymentId)))
            return WebhookResult.Rejected(method, "A payment.succeeded event needs payment_id, amount and currency.");

        return WebhookResult.Accepted(
            new ProviderEvent(body.Id, body.Type, kind, ProviderPaymentId: body.PaymentId, Amount: amount), method);
    }

    public async Task<RefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        var (ok, _, why) = await checkouts.RefundOnceAsync(request.ProviderPaymentId, request.Amount.Minor, request.IdempotencyKey, cancellationToken);
        return ok
            ? new RefundResult(RefundStatus.Succeeded, "dmre_" + request.IdempotencyKey)
            : new RefundResult(RefundStatus.Failed, null, why);
    }

    /// <summary>
    /// Settles a checkout as the simulate page's visitor chose and returns the signed webhook the
    /// dummy "sends" for it, plus where the visitor goes next. Null when the checkout is unknown.
    /// </summary>
    public async Task<SimulatedDelivery?> SimulateAsync(string providerPaymentId, ProviderPaymentStatus outcome, CancellationToken cancellationToken)
    {
        var checkout = await checkouts.SettleAsync(providerPaymentId, outcome, cancellationToken);
        if (checkout is null) return null;
        var now = clock.GetUtcNow();
        var body = DummyWireFormat.Serialize(new DummyEventBody(
            Ids.New("evt", now), DummyWireFormat.TypeFor(checkout.Status), checkout.Id, checkout.Amount.Minor, checkout.Amount.Currency.Code));
        var header = TimestampedHmacSignature.Header(options.WebhookSecret, now.ToUnixTimeSeconds(), body);
        var next = checkout.Status == ProviderPaymentStatus.Canceled ? checkout.CancelUrl : checkout.SuccessUrl;
        return new SimulatedDelivery(checkout, body, header, next);
    }

    /// <summary>The checkout behind the simulate page, or null.</summary>
    public Task<DummyCheckout?> FindAsync(string providerPaymentId, CancellationToken cancellationToken) =>
        checkouts.FindAsync(providerPaymentId, cancellationToken);
}

/// <summary>A webhook the dummy provider would send, ready to post to our intake.</summary>
public sealed record SimulatedDelivery(DummyCheckout Checkout, byte[] Body, string SignatureHeader, Uri Next);
