using Payments.Core.Providers;
using Sdk = global::Stripe;

namespace Payments.Providers.Stripe;

/// <summary>Our requests as Stripe.net's options (which the SDK encodes as the form bodies of POST /v1/…).</summary>
public static class StripeRequests
{
    /// <summary>Stripe accepts a session lifetime from 30 minutes to 24 hours after it receives the request.</summary>
    private static readonly TimeSpan ShortestLifetime = TimeSpan.FromMinutes(30) + TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LongestLifetime = TimeSpan.FromHours(24) - TimeSpan.FromMinutes(1);

    /// <summary>
    /// <c>POST /v1/checkout/sessions</c>: one <c>price_data</c> line at exactly our amount, our id as
    /// <c>client_reference_id</c> and in metadata on both the session and its PaymentIntent (so
    /// <c>payment_intent.*</c> and <c>charge.*</c> events lead back to the payment too).
    /// </summary>
    public static Sdk.Checkout.SessionCreateOptions CheckoutSession(CheckoutRequest request, long unitAmount, DateTimeOffset now) => new()
    {
        Mode = "payment",
        SuccessUrl = request.SuccessUrl.ToString(),
        CancelUrl = request.CancelUrl.ToString(),
        ClientReferenceId = request.PaymentId,
        LineItems =
        [
            new Sdk.Checkout.SessionLineItemOptions
            {
                Quantity = 1,
                PriceData = new Sdk.Checkout.SessionLineItemPriceDataOptions
                {
                    Currency = StripeAmounts.CurrencyParameter(request.Amount.Currency),
                    UnitAmount = unitAmount,
                    ProductData = new Sdk.Checkout.SessionLineItemPriceDataProductDataOptions { Name = request.Description },
                },
            },
        ],
        Metadata = Metadata(request),
        PaymentIntentData = new Sdk.Checkout.SessionPaymentIntentDataOptions { Metadata = Metadata(request) },
        CustomerEmail = request.CustomerEmail,
        ExpiresAt = request.ExpiresAt is { } expiresAt ? ClampExpiry(expiresAt, now).UtcDateTime : null,
    };

    /// <summary><c>POST /v1/payment_intents</c> for an embedded card form; the caller confirms it with the client secret.</summary>
    public static Sdk.PaymentIntentCreateOptions PaymentIntent(CheckoutRequest request, long amount) => new()
    {
        Amount = amount,
        Currency = StripeAmounts.CurrencyParameter(request.Amount.Currency),
        Description = request.Description,
        AutomaticPaymentMethods = new Sdk.PaymentIntentAutomaticPaymentMethodsOptions { Enabled = true },
        Metadata = Metadata(request),
        ReceiptEmail = request.CustomerEmail,
    };

    /// <summary><c>POST /v1/refunds</c> against the PaymentIntent. Our free-text reason travels in metadata;
    /// Stripe's own <c>reason</c> is sent only when it is one of the three values Stripe accepts.</summary>
    public static Sdk.RefundCreateOptions Refund(RefundRequest request, string paymentIntentId, long amount)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["payment_id"] = request.PaymentId };
        // An empty metadata value would tell Stripe to delete the key, so an absent reason is not sent at all.
        if (request.Reason is { } reason) metadata["reason"] = reason;
        return new Sdk.RefundCreateOptions
        {
            PaymentIntent = paymentIntentId,
            Amount = amount,
            Reason = request.Reason is "duplicate" or "fraudulent" or "requested_by_customer" ? request.Reason : null,
            Metadata = metadata,
            // A destination charge's refund pulls the vendor's share back from its account and gives the fee back, in
            // proportion to the amount (Stripe's own rule); otherwise the platform's balance alone would pay it.
            ReverseTransfer = request.ReverseSplit ? true : null,
            RefundApplicationFee = request.ReverseSplit ? true : null,
        };
    }

    /// <summary>Retrieving with what verify needs in one round trip: the intent and its charge (refunded total).</summary>
    public static Sdk.Checkout.SessionGetOptions SessionWithCharge() => new() { Expand = ["payment_intent.latest_charge"] };

    public static Sdk.PaymentIntentGetOptions IntentWithCharge() => new() { Expand = ["latest_charge"] };

    /// <summary>Every mutating call carries a key derived from our ids, so a retry (the SDK's or ours) is replayed, never repeated.</summary>
    public static Sdk.RequestOptions Idempotent(string idempotencyKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        return new Sdk.RequestOptions { IdempotencyKey = idempotencyKey };
    }

    /// <summary>Keys in ordinal order, so the same request encodes to the same bytes (Stripe compares them when a key is reused).</summary>
    internal static Dictionary<string, string> Metadata(CheckoutRequest request)
    {
        var all = new Dictionary<string, string>(request.Metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            ["payment_id"] = request.PaymentId,
        };
        return all.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
    }

    /// <summary>
    /// Keeps <c>expires_at</c> inside Stripe's window, with a minute's margin for the time the request
    /// travels: a 30-minute lifetime computed here would otherwise arrive as 29:59 and be refused.
    /// </summary>
    internal static DateTimeOffset ClampExpiry(DateTimeOffset expiresAt, DateTimeOffset now)
    {
        if (expiresAt < now + ShortestLifetime) return now + ShortestLifetime;
        if (expiresAt > now + LongestLifetime) return now + LongestLifetime;
        return expiresAt;
    }
}
