using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Payments.Providers.Common;

/// <summary>Result of checking a signature header; <see cref="Failure"/> says why when invalid.</summary>
public readonly record struct SignatureCheck(bool IsValid, string? Failure)
{
    public static readonly SignatureCheck Valid = new(true, null);
    public static SignatureCheck Invalid(string why) => new(false, why);
}

/// <summary>
/// The "<c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "t.body")&gt;</c>" scheme that Stripe
/// uses and our dummy provider copies. Semantics follow Stripe's official library exactly (checked
/// against vectors it produced): any <c>v1</c> may match (secret rotation), other schemes such as
/// <c>v0</c> are ignored, hex is compared as lower-case text in constant time, and a timestamp
/// older than the tolerance is refused (the boundary itself is accepted). One deliberate difference:
/// a timestamp further in the FUTURE than the tolerance is refused too. Stripe's libraries check only
/// age, so a delivery signed for next week (a leaked secret, a sender with a wrong clock) would be
/// accepted and could be replayed until then; clocks a few minutes apart still pass. None of Stripe's
/// vectors has a future timestamp, so we still agree with all of them.
/// </summary>
public static class TimestampedHmacSignature
{
    public const string Scheme = "v1";

    /// <summary>Lower-case hex HMAC-SHA256 of "<paramref name="timestamp"/>.<paramref name="body"/>".</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>A complete header value: "t=…,v1=…".</summary>
    public static string Header(string secret, long timestamp, ReadOnlySpan<byte> body) =>
        string.Create(CultureInfo.InvariantCulture, $"t={timestamp},{Scheme}={Sign(secret, timestamp, body)}");

    /// <summary>Checks <paramref name="header"/> against the raw <paramref name="body"/> at time <paramref name="now"/>.</summary>
    public static SignatureCheck Verify(string? header, ReadOnlySpan<byte> body, string secret, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(header))
            return SignatureCheck.Invalid("No signature header value was provided.");

        long? timestamp = null;
        var signatures = new List<string>(2);
        foreach (var item in header.Split(','))
        {
            var eq = item.IndexOf('=');
            if (eq < 0) continue;
            var key = item[..eq].Trim();
            var value = item[(eq + 1)..].Trim();
            if (key == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
                timestamp = t;
            else if (key == Scheme)
                signatures.Add(value);
        }

        if (timestamp is null)
            return SignatureCheck.Invalid("Unable to extract timestamp and signatures from header.");
        if (signatures.Count == 0)
            return SignatureCheck.Invalid("No signatures found with expected scheme.");

        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp.Value, body));
        var matched = false;
        foreach (var candidate in signatures)
            // Compare every candidate (no early exit) so timing does not reveal which one matched.
            matched |= CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(candidate));
        if (!matched)
            return SignatureCheck.Invalid("No signatures found matching the expected signature for payload.");

        if (tolerance > TimeSpan.Zero && Math.Abs(timestamp.Value - now.ToUnixTimeSeconds()) > (long)tolerance.TotalSeconds)
            return SignatureCheck.Invalid("Timestamp outside the tolerance zone.");

        return SignatureCheck.Valid;
    }
}
