using Payments.Core.Providers;

namespace Payments.Providers.Omise;

/// <summary>
/// Omise's statuses in our words, one exhaustive switch each (a status Omise adds later is
/// <see cref="ProviderPaymentStatus.Unknown"/>, which changes nothing), and a charge as a <see cref="ProviderPayment"/>.
/// </summary>
public static class OmiseMapper
{
    /// <summary>
    /// Charge statuses (API 2019-05-29). A refunded charge stays <c>successful</c> (refunds are counted in
    /// <c>refunded_amount</c>); <c>reversed</c> is an authorization released before capture: no money moved.
    /// </summary>
    public static ProviderPaymentStatus ChargeStatus(string? status) => status switch
    {
        "pending" => ProviderPaymentStatus.Pending,
        "successful" => ProviderPaymentStatus.Succeeded,
        "failed" => ProviderPaymentStatus.Declined,
        "expired" => ProviderPaymentStatus.Expired,
        "reversed" => ProviderPaymentStatus.Canceled,
        _ => ProviderPaymentStatus.Unknown,
    };

    /// <summary>
    /// Refund statuses. A refund without one (older API versions) was made when it was created; an unknown
    /// one is treated as not settled yet: the charge's <c>refunded_amount</c> will say.
    /// </summary>
    public static RefundStatus RefundStatusOf(string? status) => status switch
    {
        null or "closed" => RefundStatus.Succeeded,
        "pending" => RefundStatus.Pending,
        "failed" => RefundStatus.Failed,
        _ => RefundStatus.Pending,
    };

    /// <summary>
    /// A charge as a payment. "successful" counts only with <c>paid: true</c>: a charge that says both
    /// successful and unpaid contradicts itself, and nothing is settled on it.
    /// </summary>
    public static ProviderPayment ToPayment(OmiseCharge charge, string chargeId)
    {
        var status = ChargeStatus(charge.Status);
        if (status == ProviderPaymentStatus.Succeeded && charge.Paid != true) status = ProviderPaymentStatus.Unknown;
        var amount = OmiseAmounts.FromOmise(charge.Amount, charge.Currency);
        // Same currency as the amount by construction: Omise refunds in the charge's currency.
        var refunded = amount is null ? null : OmiseAmounts.FromOmise(charge.RefundedAmount ?? 0, charge.Currency);
        var declined = status == ProviderPaymentStatus.Declined;
        return new ProviderPayment(
            charge.Id ?? chargeId, status, amount,
            RefundedTotal: refunded,
            PaymentId: OmiseJson.Text(charge.Metadata, "payment_id"),
            FailureCode: declined ? charge.FailureCode ?? "failed" : null,
            FailureMessage: declined ? $"Omise: {charge.FailureMessage ?? charge.FailureCode ?? "the charge failed"}" : null);
    }

    /// <summary>
    /// What a charge, as Omise answers it now, amounts to as news: a refunded total (with what the charge
    /// took, which proves the payment too), a success with its amount, or its status.
    /// </summary>
    public static ProviderEventKind EventKindOf(ProviderPayment payment) =>
        payment is { Status: ProviderPaymentStatus.Succeeded, RefundedTotal.IsPositive: true }
            ? ProviderEventKind.Refunded
            : payment.Status.AsEventKind();

    /// <summary>Where the customer goes: the charge's <c>authorize_uri</c>, else the QR image of an offline source (live PromptPay).</summary>
    public static Uri? RedirectOf(OmiseCharge charge)
    {
        var href = charge.AuthorizeUri ?? charge.Source?.ScannableCode?.Image?.DownloadUri;
        return href is not null && Uri.TryCreate(href, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri : null;
    }
}
