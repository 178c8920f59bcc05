namespace Payments.Client;

/// <summary><c>GET /api/v1/payment/receipt/{id}</c>: the receipt of a paid payment.</summary>
public sealed class Receipt
{
    public string ReceiptNumber { get; init; } = "";
    public string PaymentId { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTimeOffset PaidAt { get; init; }

    /// <summary>The paid date in the merchant's time zone, <c>yyyy-MM-dd</c>.</summary>
    public string PaidDate { get; init; } = "";

    public string? Plan { get; init; }
    public string Description { get; init; } = "";
    public long Amount { get; init; }
    public string Currency { get; init; } = "";

    /// <summary>The amount with the currency's decimals, e.g. <c>19.00 EUR</c>.</summary>
    public string AmountDisplay { get; init; } = "";

    public long Refunded { get; init; }
    public string RefundedDisplay { get; init; } = "";
    public string Provider { get; init; } = "";
    public string? ProviderReference { get; init; }
    public ReceiptMerchant Merchant { get; init; } = new();
    public string HtmlUrl { get; init; } = "";
    public string PdfUrl { get; init; } = "";
}

public sealed class ReceiptMerchant
{
    public string Name { get; init; } = "";
    public IReadOnlyList<string> Address { get; init; } = [];
    public string? VatId { get; init; }
}

/// <summary>A receipt as a PDF download.</summary>
/// <param name="FileName">The name the service suggests, <c>receipt-&lt;number&gt;.pdf</c>.</param>
public sealed record ReceiptPdf(string FileName, byte[] Content);
