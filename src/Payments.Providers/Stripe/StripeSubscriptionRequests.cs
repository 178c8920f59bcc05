using System.Globalization;
using Payments.Core.Providers;
using Sdk = global::Stripe;

namespace Payments.Providers.Stripe;

/// <summary>Subscriptions as Stripe.net's options, and Stripe Billing's objects in our vocabulary.</summary>
public static class StripeSubscriptionRequests
{
    /// <summary>
    /// <c>POST /v1/checkout/sessions</c> in <c>mode=subscription</c>: our customer and price (its catalog version), the VAT
    /// rate as an exclusive tax rate on the line (none for reverse charge), our id as <c>client_reference_id</c> and in the
    /// metadata of both the session and the subscription it makes (so <c>customer.subscription.*</c> events lead back to ours).
    /// </summary>
    public static Sdk.Checkout.SessionCreateOptions CheckoutSession(SubscriptionCheckoutRequest request, string? taxRateId)
    {
        // Stripe.net sends a property set to null as "" (which unsets it at Stripe): optional ones are only set when they have a value.
        var line = new Sdk.Checkout.SessionLineItemOptions { Price = request.ProviderPriceId, Quantity = 1 };
        if (taxRateId is not null) line.TaxRates = [taxRateId];
        var subscription = new Sdk.Checkout.SessionSubscriptionDataOptions
        {
            Metadata = new Dictionary<string, string> { ["subscription_id"] = request.SubscriptionId },
        };
        if (request.TrialDays > 0) subscription.TrialPeriodDays = request.TrialDays;
        return new Sdk.Checkout.SessionCreateOptions
        {
            Mode = "subscription",
            Customer = request.ProviderCustomerId,
            SuccessUrl = request.SuccessUrl.ToString(),
            CancelUrl = request.CancelUrl.ToString(),
            ClientReferenceId = request.SubscriptionId,
            LineItems = [line],
            Metadata = new Dictionary<string, string> { ["subscription_id"] = request.SubscriptionId },
            SubscriptionData = subscription,
        };
    }

    /// <summary><c>POST /v1/tax_rates</c>: the member state's VAT, exclusive (our prices are net).</summary>
    public static Sdk.TaxRateCreateOptions TaxRate(string country, int basisPoints) => new()
    {
        DisplayName = "VAT",
        Inclusive = false,
        Percentage = basisPoints / 100m,
        Country = country,
        Jurisdiction = country,
        TaxType = "vat",
    };

    public static ProviderSubscription Subscription(Sdk.Subscription s)
    {
        var item = s.Items?.Data?.FirstOrDefault();
        return new ProviderSubscription(s.Id, s.CustomerId, SubscriptionStatusNames.Parse(s.Status), At(item?.CurrentPeriodStart),
            At(item?.CurrentPeriodEnd), s.CancelAtPeriodEnd, At(s.TrialEnd), s.LatestInvoiceId, s.Metadata?.GetValueOrDefault("subscription_id"),
            At(s.CanceledAt));
    }

    /// <summary>An invoice in minor units; null when its currency or amounts are not ones Stripe writes.</summary>
    public static ProviderInvoice? Invoice(Sdk.Invoice i)
    {
        if (StripeAmounts.FromStripe(i.AmountDue, i.Currency) is not { } due || StripeAmounts.FromStripe(i.AmountPaid, i.Currency) is not { } paid)
            return null;
        var tax = i.TotalTaxes is { Count: > 0 } taxes ? StripeAmounts.FromStripe(taxes.Sum(t => t.Amount), i.Currency) : null;
        var line = i.Lines?.Data?.FirstOrDefault();
        return new ProviderInvoice(i.Id, i.Parent?.SubscriptionDetails?.SubscriptionId, i.CustomerId, InvoiceStatus(i.Status), due, paid, tax,
            At(line?.Period?.Start), At(line?.Period?.End), (int)i.AttemptCount);
    }

    public static ProviderInvoiceStatus InvoiceStatus(string? status) => status switch
    {
        "draft" => ProviderInvoiceStatus.Draft,
        "open" => ProviderInvoiceStatus.Open,
        "paid" => ProviderInvoiceStatus.Paid,
        "uncollectible" => ProviderInvoiceStatus.Uncollectible,
        "void" => ProviderInvoiceStatus.Void,
        _ => ProviderInvoiceStatus.Unknown,
    };

    /// <summary>Stripe.net gives UTC <see cref="DateTime"/>s (Unix seconds on the wire).</summary>
    private static DateTimeOffset? At(DateTime? at) =>
        at is { } t && t != default ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;

    internal static string Key(string country, int basisPoints) => $"tax-rate-{country}-{basisPoints.ToString(CultureInfo.InvariantCulture)}";
}
