using Payments.Core.Errors;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Auth;

namespace Payments.Server.Features.Subscriptions;

/// <summary>A subscription as the API shows it (GET, list, cancel, resume).</summary>
/// <param name="Status">Stripe's words: incomplete, incomplete_expired, trialing, active, past_due, canceled, unpaid, paused.</param>
/// <param name="LatestInvoice">The provider's id of its latest invoice.</param>
/// <param name="Amount">Net price of one period, minor units; <paramref name="TaxRate"/> percent of VAT is added.</param>
public sealed record SubscriptionView(
    string SubscriptionId, string UserId, string Price, string Status, DateTimeOffset? CurrentPeriodStart, DateTimeOffset? CurrentPeriodEnd,
    bool CancelAtPeriodEnd, DateTimeOffset? TrialEnd, DateTimeOffset? CanceledAt, string Provider, string? LatestInvoice,
    long Amount, string Currency, string TaxRate, string TaxRule, DateTimeOffset CreatedAt)
{
    public static SubscriptionView Of(SubscriptionRow s) => new(
        s.Id, s.UserId, s.PriceKey, s.Status, s.CurrentPeriodStart, s.CurrentPeriodEnd, s.CancelAtPeriodEnd, s.TrialEnd, s.CanceledAt,
        s.Provider, s.LatestInvoice, s.AmountMinor, s.Currency, Core.Billing.VatRates.Percent(s.TaxRateBp), s.TaxRule, s.CreatedAt);
}

/// <summary>One invoice of a subscription: what it came to by our numbers, what the provider says was paid, and our payment.</summary>
public sealed record InvoiceView(
    string InvoiceId, string Status, long Net, long Vat, string VatRate, string TaxRule, long Total, long AmountPaid, string Currency,
    DateTimeOffset? PeriodStart, DateTimeOffset? PeriodEnd, string? PaymentId, string? ReceiptUrl, DateTimeOffset CreatedAt)
{
    public static InvoiceView Of(SubscriptionInvoiceRow i) => new(
        i.ExternalId, i.Status, i.NetMinor, i.VatMinor, Core.Billing.VatRates.Percent(i.TaxRateBp), i.TaxRule, i.NetMinor + i.VatMinor,
        i.AmountPaidMinor, i.Currency, i.PeriodStart, i.PeriodEnd, i.PaymentId,
        i.PaymentId is { } id ? $"/api/v1/payment/receipt/{id}" : null, i.CreatedAt);
}

public static class SubscriptionAccess
{
    /// <summary>Someone else's subscription is 404, not 403: ids do not reveal which subscriptions exist.</summary>
    public static void EnsureMayRead(Caller caller, SubscriptionRow subscription)
    {
        if (caller.SeesAll) return;
        if (caller.Kind != CallerKind.User || caller.Id != subscription.UserId)
            throw PaymentsException.NotFound($"No subscription '{subscription.Id}'.");
    }
}
