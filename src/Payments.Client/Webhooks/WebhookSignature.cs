using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Payments.Client;

/// <summary>
/// <c>Payments-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;raw body&gt;")&gt;</c>, Stripe's
/// scheme, as the service signs its deliveries. Verify over the raw body, before parsing it. The same rules as
/// the service's own verifier: any <c>v1</c> may match (during a secret rotation a delivery carries two), other
/// schemes are ignored, hex is compared in constant time, and a timestamp further than the tolerance in the past
/// (a replay) or in the future is refused; the boundary itself is accepted.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The request header that carries the signature.</summary>
    public const string Header = "Payments-Signature";

    /// <summary>How far a delivery's timestamp may be from <c>now</c> when no tolerance is given.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    private const string Scheme = "v1";

    /// <summary>True when <paramref name="header"/> signs <paramref name="body"/> (the raw bytes received) with <paramref name="secret"/> at <paramref name="now"/>.</summary>
    /// <param name="tolerance">Positive; null is <see cref="DefaultTolerance"/>.</param>
    public static bool Verify(ReadOnlySpan<byte> body, string? header, string secret, DateTimeOffset now, TimeSpan? tolerance = null) =>
        Check(body, header, secret, now, tolerance) is null;

    /// <summary>As <see cref="Verify(ReadOnlySpan{byte}, string?, string, DateTimeOffset, TimeSpan?)"/>, for a body read as UTF-8 text.</summary>
    public static bool Verify(string body, string? header, string secret, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Verify(Encoding.UTF8.GetBytes(body), header, secret, now, tolerance);
    }

    /// <summary>Null when the signature holds, else why not (for a log line; never tell the sender).</summary>
    public static string? Check(ReadOnlySpan<byte> body, string? header, string secret, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var window = tolerance ?? DefaultTolerance;
        if (window <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(tolerance), "A positive tolerance: without one an old delivery could be replayed forever.");
        if (string.IsNullOrEmpty(header)) return "no signature header";

        long? timestamp = null;
        var candidates = new List<string>(2);
        foreach (var item in header.Split(','))
        {
            var eq = item.IndexOf('=');
            if (eq < 0) continue;
            var key = item[..eq].Trim();
            var value = item[(eq + 1)..].Trim();
            if (key == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t)) timestamp = t;
            else if (key == Scheme) candidates.Add(value);
        }
        if (timestamp is null) return "no timestamp in the signature header";
        if (candidates.Count == 0) return "no v1 signature in the header";

        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp.Value, body));
        var matched = false;
        foreach (var candidate in candidates)
            // Every candidate is compared (no early exit), so timing does not tell which one matched.
            matched |= CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(candidate));
        if (!matched) return "no signature matches the body and secret";
        if (Math.Abs(timestamp.Value - now.ToUnixTimeSeconds()) > (long)window.TotalSeconds)
            return "the timestamp is outside the tolerance (a replay, or a clock far off)";
        return null;
    }

    /// <summary>Lower-case hex HMAC-SHA256 of <c>"&lt;timestamp&gt;.&lt;body&gt;"</c>: for a host's own tests of its receiver.</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    /// <summary>A whole header value, <c>t=…,v1=…</c>, as the service would send it at <paramref name="now"/>.</summary>
    public static string HeaderValue(string secret, DateTimeOffset now, ReadOnlySpan<byte> body)
    {
        var t = now.ToUnixTimeSeconds();
        return string.Create(CultureInfo.InvariantCulture, $"t={t},{Scheme}={Sign(secret, t, body)}");
    }
}
