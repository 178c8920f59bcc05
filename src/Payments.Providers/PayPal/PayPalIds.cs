namespace Payments.Providers.PayPal;

/// <summary>
/// PayPal's ids have no prefix. Orders, captures and refunds are 17 upper-case letters and digits
/// (e.g. order <c>5O190127TN364715T</c>, capture <c>3C679366HH908993F</c>); the Orders API documents
/// the pattern <c>^[A-Z0-9]+$</c>, at most 36 characters. Our own ids (<c>pay_…</c>) and the other
/// providers' (<c>dm_…</c>, <c>cs_…</c>, <c>pi_…</c>) all contain lower case or '_', so the shapes cannot collide.
/// </summary>
public static class PayPalIds
{
    public const int Length = 17;

    /// <summary>The shape of an order id as PayPal issues them today: exactly 17 of [A-Z0-9].</summary>
    public static bool IsOrderId(string? id) => id is { Length: Length } && IsUpperAlphanumeric(id);

    /// <summary>Any id PayPal's documented pattern allows; checked before an id from a webhook goes into a URL path.</summary>
    public static bool IsResourceId(string? id) => id is { Length: > 0 and <= 36 } && IsUpperAlphanumeric(id);

    private static bool IsUpperAlphanumeric(string id)
    {
        foreach (var c in id)
            if (c is not ((>= 'A' and <= 'Z') or (>= '0' and <= '9'))) return false;
        return true;
    }
}
