namespace Payments.Providers.Omise;

/// <summary>
/// Omise ids are a type prefix, <c>test_</c> in test mode, and lower-case base-36: <c>chrg_test_5086xlsx4lghk9bpb75</c>,
/// <c>rfnd_…</c>, <c>evnt_…</c>. Our provider payment id for an Omise checkout is the charge id itself, so
/// <c>chrg_</c> is what we own; the other providers' ids (<c>dm_</c>, <c>cs_</c>, <c>pi_</c>, PayPal's upper-case
/// ones) and ours (<c>pay_</c>) cannot take that shape.
/// </summary>
public static class OmiseIds
{
    public const string ChargePrefix = "chrg_";

    /// <summary>A charge id: <c>chrg_</c> then 1–60 of [a-z0-9_]. Checked before an id from a webhook goes into a URL path.</summary>
    public static bool IsChargeId(string? id) => Is(id, ChargePrefix);

    public static bool IsEventId(string? id) => Is(id, "evnt_");

    private static bool Is(string? id, string prefix)
    {
        if (id is null || !id.StartsWith(prefix, StringComparison.Ordinal) || id.Length == prefix.Length || id.Length > prefix.Length + 60)
            return false;
        foreach (var c in id.AsSpan(prefix.Length))
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')) return false;
        return true;
    }
}
