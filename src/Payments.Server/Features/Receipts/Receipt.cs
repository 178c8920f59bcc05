using System.Globalization;
using Payments.Core.Errors;
using Payments.Core.Money;
using Payments.Core.Payments;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Receipts;

/// <summary>
/// Everything a receipt says, taken from one payment row and the merchant settings. The JSON
/// receipt, the HTML page and the PDF are all made from this one value.
/// </summary>
public sealed record Receipt(
    string Number,
    string PaymentId,
    PaymentStatus Status,
    DateTimeOffset PaidAt,
    TimeZoneInfo TimeZone,
    string? Plan,
    string Description,
    Money Amount,
    Money Refunded,
    string Provider,
    string ProviderDisplayName,
    string? ProviderReference,
    Merchant Merchant,
    string? Wallet = null)
{
    /// <summary>
    /// The receipt of a paid payment. Refunded and partially refunded payments keep their receipt
    /// (money was taken; the refund is shown on it); anything never paid has none.
    /// </summary>
    /// <param name="providerDisplayName">The company that took the money, from the provider's descriptor
    /// (<see cref="global::Payments.Providers.ProviderRegistry.DisplayName"/>); the provider's name when not given.</param>
    public static Receipt For(Payment payment, ReceiptOptions options, string? providerDisplayName = null)
    {
        if (!payment.Status.IsPaid())
            throw new PaymentsException(ErrorKind.Conflict,
                    $"Payment '{payment.Id}' is {payment.Status.ToWire()}; a receipt exists only for a paid payment.")
                .With("payment_id", payment.Id).With("payment_status", payment.Status.ToWire());
        return new Receipt(
            ReceiptNumber.For(payment.Id),
            payment.Id,
            payment.Status,
            // Settlement always sets paid_at; a row from before that column would still get a date.
            payment.PaidAt ?? payment.UpdatedAt,
            options.TimeZone,
            payment.Plan,
            payment.Description,
            payment.Amount,
            payment.Refunded,
            payment.Provider,
            providerDisplayName ?? global::Payments.Providers.ProviderRegistry.Capitalised(payment.Provider),
            // What the customer can find at the provider: the secondary reference (Stripe's
            // PaymentIntent, PayPal's capture) when there is one, else the checkout id.
            payment.ProviderReference ?? payment.ProviderPaymentId,
            options.Merchant,
            payment.Wallet);
    }

    /// <summary>The VAT breakdown when the payment is a subscription's invoice; null for other payments.</summary>
    public ReceiptTax? Tax { get; init; }

    /// <summary>The wallet that paid as people call it ("Google Pay"), or null.</summary>
    public string? WalletDisplayName => Wallet is null ? null : global::Payments.Providers.Wallets.WalletTypes.DisplayName(Wallet);

    /// <summary>The paid instant in the receipt's time zone.</summary>
    public DateTimeOffset LocalPaidAt => TimeZoneInfo.ConvertTime(PaidAt, TimeZone);

    public string PaidDate => LocalPaidAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"2025-11-22 14:03 UTC" or "2025-11-22 15:03 (Europe/Copenhagen)".</summary>
    public string PaidDateTime =>
        LocalPaidAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) +
        (TimeZone == TimeZoneInfo.Utc ? " UTC" : $" ({TimeZone.Id})");

    public string StatusDisplayName => Status switch
    {
        PaymentStatus.PartiallyRefunded => "Paid, partially refunded",
        PaymentStatus.Refunded => "Paid, refunded",
        _ => "Paid",
    };
}
