using Payments.Core.Money;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Receipts;

/// <summary>
/// The VAT lines of a receipt whose payment is a subscription's invoice: net, rate and VAT amount, gross, both parties'
/// VAT numbers, and for a reverse-charge customer the legal wording (no VAT is charged; the customer accounts for it).
/// Taken from the invoice row, whose numbers were fixed when the invoice was first recorded.
/// </summary>
public sealed record ReceiptTax(
    Money Net, string RatePercent, Money Vat, Money Gross, bool ReverseCharge, string CustomerName, string CustomerCountry, string? CustomerVatId,
    string? MerchantVatId, string InvoiceId, DateTimeOffset? PeriodStart, DateTimeOffset? PeriodEnd)
{
    /// <summary>What a reverse-charge invoice must say (Directive 2006/112/EC, art. 226(11a) for the mention, art. 196 for the rule).</summary>
    public const string ReverseChargeNotice = "Reverse charge: VAT to be accounted for by the recipient (Directive 2006/112/EC, art. 196 and 226).";

    public static ReceiptTax Of(SubscriptionInvoiceRow invoice, string? merchantVatId)
    {
        var currency = Currency.Of(invoice.Currency);
        var net = new Money(invoice.NetMinor, currency);
        var vat = new Money(invoice.VatMinor, currency);
        return new ReceiptTax(net, Core.Billing.VatRates.Percent(invoice.TaxRateBp), vat, net + vat, invoice.TaxRule == "reverse_charge",
            invoice.CustomerName, invoice.CustomerCountry, invoice.CustomerVatId, merchantVatId, invoice.ExternalId, invoice.PeriodStart, invoice.PeriodEnd);
    }
}
