using Payments.Core.Errors;
using Payments.Core.Providers;
using Payments.Providers.Stripe;
using Sdk = global::Stripe;

namespace Payments.Providers.Wallets;

/// <summary>
/// Stripe as the wallets' gateway: a wallet's card token is charged at once as a confirmed
/// PaymentIntent, and the storefront's domain is registered for Apple Pay. Every call goes through
/// Stripe.net (<see cref="StripeSdk"/>) with the Stripe adapter's options; this class has its own
/// SDK client so the Stripe adapter's files stay as they are.
/// </summary>
public sealed class StripeWalletGateway(StripeOptions options, IHttpClientFactory httpClients)
{
    private readonly Lazy<Sdk.StripeClient> _stripe = new(() => StripeSdk.Create(options, httpClients));

    private Sdk.V1Services V1 => _stripe.Value.V1;

    /// <summary>
    /// <c>POST /v1/payment_intents</c> with <c>confirm=true</c> and the token as the card
    /// (<c>payment_method_data[type]=card</c>, <c>payment_method_data[card][token]=tok_…</c>), for exactly
    /// our amount, our id in the metadata (so Stripe's events find the payment), the idempotency key
    /// derived from our id, and the charge expanded (it says which wallet paid).
    /// </summary>
    public async Task<CheckoutResult> ChargeTokenAsync(CheckoutRequest request, string tokenId, CancellationToken ct)
    {
        if (!StripeAmounts.TryToStripe(request.Amount, out var amount, out var why))
            throw new ProviderErrorException(StripeProvider.ProviderName, why);
        return await StripeSdk.SendAsync("Charging a wallet token", async token =>
            {
                var intent = await V1.PaymentIntents.CreateAsync(WalletPaymentIntent(request, amount, tokenId),
                    StripeRequests.Idempotent(request.IdempotencyKey), token);
                return Result(intent);
            },
            e => Declined(e) ?? throw TokenRefused(e), options.MaxNetworkRetries + 1, ct);
    }

    /// <summary>The request: the token as the payment method, confirmed at once, back to our page after 3-D Secure.</summary>
    internal static Sdk.PaymentIntentCreateOptions WalletPaymentIntent(CheckoutRequest request, long amount, string tokenId)
    {
        var intent = new Sdk.PaymentIntentCreateOptions
        {
            Amount = amount,
            Currency = StripeAmounts.CurrencyParameter(request.Amount.Currency),
            Description = request.Description,
            Confirm = true,
            // Where Stripe sends the buyer back after 3-D Secure (next_action.redirect_to_url).
            ReturnUrl = request.SuccessUrl.ToString(),
            Metadata = StripeRequests.Metadata(request),
            ReceiptEmail = request.CustomerEmail,
            Expand = ["latest_charge"],
        };
        // Stripe.net has no typed card[token] under payment_method_data: the same form keys, as an extra parameter.
        intent.AddExtraParam("payment_method_data", new Dictionary<string, object>
        {
            ["type"] = "card",
            ["card"] = new Dictionary<string, object> { ["token"] = tokenId },
        });
        return intent;
    }

    /// <summary>
    /// succeeded → paid (the webhook settles it); requires_action → 3-D Secure first: the buyer goes to
    /// <c>next_action.redirect_to_url.url</c> (or the front end uses the client secret); a declined
    /// attempt (requires_payment_method with an error) → declined.
    /// </summary>
    internal static CheckoutResult Result(Sdk.PaymentIntent intent)
    {
        var status = StripeMapper.IntentStatus(intent);
        var action = intent.Status == "requires_action";
        Uri? redirect = action && Uri.TryCreate(intent.NextAction?.RedirectToUrl?.Url, UriKind.Absolute, out var url) ? url : null;
        return new CheckoutResult(intent.Id, redirect, status, action ? intent.ClientSecret : null, intent.Id,
            intent.LastPaymentError?.DeclineCode ?? intent.LastPaymentError?.Code, StripeMapper.FailureReason(intent.LastPaymentError),
            intent.LatestCharge?.PaymentMethodDetails?.Card?.Wallet?.Type);
    }

    /// <summary>A declined card while confirming is HTTP 402 card_error with the intent: a result, not an exception.</summary>
    private static CheckoutResult? Declined(Sdk.StripeException e) =>
        e.StripeError is { Type: "card_error", PaymentIntent.Id.Length: > 0 } error
            ? new CheckoutResult(error.PaymentIntent.Id, null, ProviderPaymentStatus.Declined, null, error.PaymentIntent.Id,
                error.DeclineCode ?? error.Code, StripeMapper.FailureReason(error))
            : null;

    /// <summary>
    /// Stripe refusing the token itself (unknown, used before, from the other mode) is the caller's
    /// mistake, 422; other refusals stay provider errors.
    /// </summary>
    private static Exception TokenRefused(Sdk.StripeException e) =>
        e.StripeError is { Type: "invalid_request_error" } error && error.Param?.StartsWith("payment_method_data", StringComparison.Ordinal) == true
            ? PaymentsException.Validation($"Stripe refused the wallet token: {StripeSdk.Describe(e)}").With("provider_code", error.Code)
            : new ProviderErrorException(StripeProvider.ProviderName, $"Charging a wallet token was refused ({StripeSdk.Describe(e)})",
                e.StripeError?.Code, e);

    /// <summary>
    /// Registers <paramref name="domain"/> for Apple Pay and Google Pay on the Stripe account
    /// (<c>POST /v1/payment_method_domains</c>), or, when it is registered already, asks Stripe to check it
    /// again (<c>POST /v1/payment_method_domains/{id}/validate</c>, after the association file changed).
    /// </summary>
    public async Task<Sdk.PaymentMethodDomain> RegisterDomainAsync(string domain, CancellationToken ct)
    {
        var attempts = options.MaxNetworkRetries + 1;
        var existing = await StripeSdk.SendAsync("Listing payment method domains",
            t => V1.PaymentMethodDomains.ListAsync(new Sdk.PaymentMethodDomainListOptions { DomainName = domain, Limit = 1 }, null, t),
            null, attempts, ct);
        // One key per call: the SDK's own retries reuse it, a later run is a new request.
        var once = StripeRequests.Idempotent($"payment-method-domain-{Guid.NewGuid():N}");
        if (existing.Data.FirstOrDefault() is { } found)
            return await StripeSdk.SendAsync("Validating a payment method domain",
                t => V1.PaymentMethodDomains.ValidateAsync(found.Id, null, once, t), null, attempts, ct);
        return await StripeSdk.SendAsync("Registering a payment method domain",
            t => V1.PaymentMethodDomains.CreateAsync(new Sdk.PaymentMethodDomainCreateOptions { DomainName = domain, Enabled = true }, once, t),
            null, attempts, ct);
    }
}
