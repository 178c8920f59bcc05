using Payments.Core.Providers;

namespace Payments.Providers.Stripe;

/// <summary>Our requests in Stripe's parameters (the form bodies of POST /v1/…).</summary>
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
    public static StripeForm CheckoutSession(CheckoutRequest request, long unitAmount, DateTimeOffset now)
    {
        var form = new StripeForm()
            .Add("mode", "payment")
            .Add("success_url", request.SuccessUrl.ToString())
            .Add("cancel_url", request.CancelUrl.ToString())
            .Add("client_reference_id", request.PaymentId)
            .Add("line_items[0][quantity]", 1)
            .Add("line_items[0][price_data][currency]", StripeAmounts.CurrencyParameter(request.Amount.Currency))
            .Add("line_items[0][price_data][unit_amount]", unitAmount)
            .Add("line_items[0][price_data][product_data][name]", request.Description)
            .AddMap("metadata", Metadata(request))
            .AddMap("payment_intent_data[metadata]", Metadata(request))
            .Add("customer_email", request.CustomerEmail);
        if (request.ExpiresAt is { } expiresAt) form.Add("expires_at", ClampExpiry(expiresAt, now).ToUnixTimeSeconds());
        return form;
    }

    /// <summary><c>POST /v1/payment_intents</c> for an embedded card form; the caller confirms it with the client secret.</summary>
    public static StripeForm PaymentIntent(CheckoutRequest request, long amount) =>
        new StripeForm()
            .Add("amount", amount)
            .Add("currency", StripeAmounts.CurrencyParameter(request.Amount.Currency))
            .Add("description", request.Description)
            .Add("automatic_payment_methods[enabled]", true)
            .AddMap("metadata", Metadata(request))
            .Add("receipt_email", request.CustomerEmail);

    /// <summary><c>POST /v1/refunds</c> against the PaymentIntent. Our free-text reason travels in metadata;
    /// Stripe's own <c>reason</c> is sent only when it is one of the three values Stripe accepts.</summary>
    public static StripeForm Refund(RefundRequest request, string paymentIntentId, long amount) =>
        new StripeForm()
            .Add("payment_intent", paymentIntentId)
            .Add("amount", amount)
            .Add("reason", request.Reason is "duplicate" or "fraudulent" or "requested_by_customer" ? request.Reason : null)
            .Add("metadata[payment_id]", request.PaymentId)
            .Add("metadata[reason]", request.Reason);

    /// <summary>Retrieving with what verify needs in one round trip: the intent and its charge (refunded total).</summary>
    public static StripeForm Expand(params string[] paths)
    {
        var form = new StripeForm();
        foreach (var path in paths) form.Add("expand[]", path);
        return form;
    }

    private static IEnumerable<KeyValuePair<string, string>> Metadata(CheckoutRequest request)
    {
        var metadata = new Dictionary<string, string>(request.Metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            ["payment_id"] = request.PaymentId,
        };
        return metadata;
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
