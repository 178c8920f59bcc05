namespace Payments.Core.Providers;

// The provider port, split by capability (Hyperswitch's one trait per flow, Kill Bill's narrow
// plugin API): a provider implements the interfaces for what it can do and nothing else, and a
// feature asks the registry for the capability it needs (IProviders.Get<IRefundProvider>(name)),
// so "this provider cannot refund" is a clear 422 and never a NotSupportedException at run time.
// docs/decisions.md says why the port is cut this way.
//
// Every capability:
// - is about the provider's wire, never our database, routes or users;
// - returns declines as results, and throws ProviderUnavailableException when the outcome is
//   unknown (timeout, connection reset after sending): the caller then waits for a webhook or a
//   verify, and a charge is never blindly retried.

/// <summary>What every provider is: a <see cref="ProviderDescriptor"/> (configuration) and nothing else.</summary>
public interface IProvider
{
    ProviderDescriptor Descriptor { get; }

    /// <summary>Shorthand for <see cref="ProviderDescriptor.Name"/>.</summary>
    string Name => Descriptor.Name;
}

/// <summary>One-off payments: a hosted checkout (or an intent for an embedded form), and asking about it later.</summary>
public interface ICheckoutProvider : IProvider
{
    /// <summary>Creates a hosted checkout (or an intent for an embedded form) for exactly <see cref="CheckoutRequest.Amount"/>.</summary>
    Task<CheckoutResult> CreateCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken);

    /// <summary>Asks the provider what it knows about a payment now; this is how a lost webhook is healed.</summary>
    Task<ProviderPayment> GetPaymentAsync(string providerPaymentId, CancellationToken cancellationToken);
}

/// <summary>Gives money back.</summary>
public interface IRefundProvider : IProvider
{
    /// <summary>Refunds part or all of a payment; idempotent on <see cref="RefundRequest.IdempotencyKey"/>.</summary>
    Task<RefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// An optional second step some providers need: the customer approves on the provider's page, and
/// the money only moves when we ask for it (PayPal orders with <c>intent=CAPTURE</c>, Vipps MobilePay's
/// AUTHORIZED). Providers that settle on their own (Stripe Checkout, the dummy) do not implement this.
/// </summary>
public interface ICaptureProvider : IProvider
{
    /// <summary>
    /// Captures an approved payment and answers what the provider says afterwards, exactly like
    /// <see cref="ICheckoutProvider.GetPaymentAsync"/> (amount and currency of the capture, the capture id as
    /// <see cref="ProviderPayment.ProviderReference"/>). Idempotent: capturing something already captured
    /// is success, not an error. A declined capture is a result (<see cref="ProviderPaymentStatus.Declined"/>).
    /// </summary>
    /// <param name="providerPaymentId">The provider's id of the approved checkout (PayPal order id).</param>
    /// <param name="idempotencyKey">Derived from our payment id, so a retried capture captures once.</param>
    Task<ProviderPayment> CaptureAsync(string providerPaymentId, string idempotencyKey, CancellationToken cancellationToken);
}

/// <summary>
/// Proves a webhook delivery came from the provider (signature and timestamp tolerance, a
/// certificate, or the provider's own verification API). Separate from parsing: the proof covers the
/// raw bytes (and for some providers the method, path and host), before anything reads them.
/// </summary>
public interface IWebhookVerifier : IProvider
{
    /// <summary>Must not throw for a bad signature: return <see cref="WebhookVerification.Rejected"/>.</summary>
    Task<WebhookVerification> VerifyAsync(WebhookRequest request, CancellationToken cancellationToken);
}

/// <summary>Turns a verified delivery into our vocabulary: one normalized event, naming the record it concerns.</summary>
public interface IWebhookParser : IProvider
{
    /// <summary>
    /// Parses a delivery <paramref name="verification"/> accepted. Must not throw for a malformed body:
    /// return <see cref="WebhookResult.Rejected"/>. An event type we do not act on is a result
    /// (<see cref="ProviderEventKind.Informational"/>), recorded and answered 200.
    /// </summary>
    Task<WebhookResult> ParseAsync(WebhookRequest request, WebhookVerification verification, CancellationToken cancellationToken);
}

/// <summary>Both halves of webhook intake; what a provider with signed webhooks implements.</summary>
public interface IWebhookProvider : IWebhookVerifier, IWebhookParser;

public static class WebhookProviderExtensions
{
    /// <summary>
    /// Verify, then (only when verified) parse: what the intake does with a delivery. A verified delivery
    /// the parser refuses, or whose event breaks <see cref="WebhookEventRules"/>, is <see cref="WebhookResult.Malformed"/>,
    /// not a bad signature: its sender holds the secret, and "signature invalid" would send it looking in the wrong place.
    /// </summary>
    public static async Task<WebhookResult> ReceiveAsync(this IWebhookProvider provider, WebhookRequest request, CancellationToken cancellationToken)
    {
        var verification = await provider.VerifyAsync(request, cancellationToken);
        if (!verification.Verified)
            return WebhookResult.Rejected(verification.Method, verification.Failure ?? "The webhook could not be verified.");
        WebhookResult parsed;
        try
        {
            parsed = await provider.ParseAsync(request, verification, cancellationToken);
        }
        catch (Exception e) when (IsUnreadableJson(e))
        {
            // Text no JSON reader can return (an escaped lone surrogate "\ud800", found by the fuzzer), wherever a
            // parser met it: the body is malformed, whoever signed it, not a 500.
            return WebhookResult.MalformedEvent(verification.Method, $"The body holds JSON text that cannot be read: {e.Message}");
        }
        if (parsed.Ignored) return parsed with { Signed = verification.Signed };
        if (parsed.Event is null)
            return WebhookResult.MalformedEvent(verification.Method, parsed.Failure ?? "The webhook is not an event.");
        // One set of rules for every provider's parsed event, before anything is stored.
        return WebhookEventRules.Problem(parsed.Event) is { } problem
            ? WebhookResult.MalformedEvent(verification.Method, problem)
            : parsed with { Signed = verification.Signed };
    }

    /// <summary>System.Text.Json's refusals of the text itself: JsonException, and the InvalidOperationException it throws for broken UTF-16 escapes.</summary>
    private static bool IsUnreadableJson(Exception e) =>
        e is System.Text.Json.JsonException
        || (e is InvalidOperationException
            && new System.Diagnostics.StackTrace(e).GetFrame(0)?.GetMethod()?.DeclaringType?.Assembly == typeof(System.Text.Json.JsonException).Assembly);
}
