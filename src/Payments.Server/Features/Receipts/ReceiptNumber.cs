namespace Payments.Server.Features.Receipts;

/// <summary>
/// A receipt's number is our payment id written for people: <c>pay_01jd8x3k7q9m2v5w8z4b6c1d3f</c>
/// becomes <c>R-01JD8X3K7Q-9M2V-5W8Z-4B6C-1D3F</c>. Derived, not stored, so it is unique because the
/// payment id is (the primary key), never changes between renders, needs no write on a GET, and
/// support can turn a number a customer reads out back into the payment (<see cref="ToPaymentId"/>).
/// Upper case is unambiguous: the id alphabet (Crockford base32) has no I, L, O or U.
/// See docs/decisions.md for why not a sequential number.
/// </summary>
public static class ReceiptNumber
{
    private const string PaymentPrefix = "pay_";
    private const string Prefix = "R-";

    // The id body is 10 characters of time and 16 random ones; groups of four read out loud well.
    private static readonly int[] Groups = [10, 4, 4, 4, 4];

    public static string For(string paymentId)
    {
        var body = paymentId.StartsWith(PaymentPrefix, StringComparison.Ordinal) ? paymentId[PaymentPrefix.Length..] : paymentId;
        if (body.Length != Groups.Sum()) return Prefix + body.ToUpperInvariant();
        var parts = new List<string>(Groups.Length);
        var at = 0;
        foreach (var length in Groups)
        {
            parts.Add(body.Substring(at, length).ToUpperInvariant());
            at += length;
        }
        return Prefix + string.Join('-', parts);
    }

    /// <summary>The payment id behind a receipt number (any case, dashes optional); null when it is not one.</summary>
    public static string? ToPaymentId(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return null;
        var body = trimmed[Prefix.Length..].Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        return body.Length == Groups.Sum() && body.All(char.IsAsciiLetterOrDigit) ? PaymentPrefix + body : null;
    }
}
