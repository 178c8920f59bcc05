using System.Security.Cryptography;
using System.Text;

namespace Payments.Providers.MobilePay;

/// <summary>
/// The ePayment API names a payment by <em>our</em> <c>reference</c> (<c>^[a-zA-Z0-9-]{8,50}$</c>, unique
/// per sales unit), so no Vipps id comes back to store. It is derived from our payment id, one to one:
/// <c>pay_01jd8x…</c> ⇄ <c>mp-01jd8x…</c>. Seed 000's provider prefix is <c>mp_</c>, but '_' is outside
/// the reference alphabet, so the separator is '-'. Every later answer and webhook names the reference,
/// and our id can be read back from it. Other providers' ids (<c>dm_…</c>, <c>cs_…</c>, PayPal's
/// upper-case ones) never start with <c>mp-</c>.
/// </summary>
public static class MobilePayReference
{
    public const string Prefix = "mp-";
    private const string OurPrefix = "pay_";

    /// <summary>Vipps's limit for <c>Idempotency-Key</c>.</summary>
    public const int MaxIdempotencyKey = 50;

    /// <summary>The reference for our payment id; an id that cannot make a valid reference is a bug, not input.</summary>
    public static string For(string paymentId)
    {
        var reference = Prefix + (paymentId.StartsWith(OurPrefix, StringComparison.Ordinal) ? paymentId[OurPrefix.Length..] : paymentId);
        return IsReference(reference)
            ? reference
            : throw new InvalidOperationException($"Payment id '{paymentId}' does not make a Vipps MobilePay reference ([a-zA-Z0-9-]{{8,50}}).");
    }

    /// <summary>Our payment id (<c>pay_…</c>) behind a reference we made; null for references made elsewhere.</summary>
    public static string? PaymentIdOf(string? reference) =>
        IsOurs(reference) ? OurPrefix + reference![Prefix.Length..] : null;

    /// <summary>A reference this service made: <c>mp-</c> and a valid reference.</summary>
    public static bool IsOurs(string? reference) =>
        reference is not null && reference.StartsWith(Prefix, StringComparison.Ordinal) && IsReference(reference);

    /// <summary>Any reference the API allows; checked before one from a webhook goes into a URL path.</summary>
    public static bool IsReference(string? reference)
    {
        if (reference is not { Length: >= 8 and <= 50 }) return false;
        foreach (var c in reference)
            if (c is not ((>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-')) return false;
        return true;
    }

    /// <summary>
    /// Our idempotency keys as Vipps takes them (at most 50 characters). Most fit as they are
    /// (<c>pay_…-checkout</c> is 39, a refund id 29); a longer one (a second capture attempt's key carries
    /// a timestamp) becomes a hash of itself, so the same key still maps to the same Vipps key.
    /// </summary>
    public static string IdempotencyKey(string key) =>
        key.Length <= MaxIdempotencyKey
            ? key
            : "h-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..(MaxIdempotencyKey - 2)];
}
