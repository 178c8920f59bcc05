using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Payments.Providers.Common;

namespace Payments.Providers.MobilePay;

/// <summary>
/// The Webhooks API's request authentication (developer.vippsmobilepay.com, "Request authentication"),
/// as pure functions with the clock as a parameter:
/// <list type="number">
/// <item><c>x-ms-content-sha256</c> is base64 SHA-256 of the raw body, and must be that of the body received;</item>
/// <item><c>Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&amp;Signature=&lt;base64&gt;</c>,
/// the signature being HMAC-SHA256, keyed with the registration's secret (its UTF-8 text, as given,
/// not base64-decoded), over <c>POST\n&lt;path and query&gt;\n&lt;x-ms-date&gt;;&lt;host&gt;;&lt;content hash&gt;</c>;</item>
/// <item>our addition: <c>x-ms-date</c> (RFC 1123) within a tolerance of our clock either way, so a
/// captured delivery cannot be replayed later (the HMAC covers the date).</item>
/// </list>
/// Checked against the worked example in Vipps's documentation (tests/TestData/mobilepay-webhook-vector.json).
/// </summary>
public static class MobilePayWebhookSignature
{
    public const string DateHeader = "x-ms-date";
    public const string ContentHashHeader = "x-ms-content-sha256";
    public const string AuthorizationHeader = "Authorization";
    public const string SignedHeaders = "x-ms-date;host;x-ms-content-sha256";
    private const string Scheme = "HMAC-SHA256 ";

    /// <summary>Where the delivery was sent: its path with query, and host (with the port when not the default).</summary>
    public readonly record struct Target(string PathAndQuery, string Host)
    {
        public static Target Of(Uri url) => new(url.PathAndQuery, url.Authority);
    }

    /// <summary>The three headers Vipps sends, as it computes them.</summary>
    public sealed record Headers(string Date, string ContentHash, string Authorization);

    public static string ContentHash(ReadOnlySpan<byte> body) => Convert.ToBase64String(SHA256.HashData(body));

    public static string StringToSign(string method, Target target, string date, string contentHash) =>
        $"{method}\n{target.PathAndQuery}\n{date};{target.Host};{contentHash}";

    public static string Signature(string secret, string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>Signs a delivery as Vipps does (the fake server and tests use it).</summary>
    public static Headers Sign(string secret, Uri url, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var date = now.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture);
        var hash = ContentHash(body);
        var signature = Signature(secret, StringToSign("POST", Target.Of(url), date, hash));
        return new Headers(date, hash, $"{Scheme}SignedHeaders={SignedHeaders}&Signature={signature}");
    }

    /// <summary>
    /// Checks one delivery: the content hash against <paramref name="body"/>, the signature with any of
    /// <paramref name="secrets"/> for any of <paramref name="targets"/> (the URL as received, and the URL the
    /// webhook was registered with, which is what Vipps signs when a proxy rewrote the host), then the date.
    /// </summary>
    public static SignatureCheck Verify(
        string method, IReadOnlyCollection<Target> targets, Func<string, string?> header, ReadOnlySpan<byte> body,
        IReadOnlyCollection<string> secrets, DateTimeOffset now, TimeSpan tolerance)
    {
        if (secrets.Count == 0)
            return SignatureCheck.Invalid("No MobilePay webhook secret is known here: run `payments-cli mobilepay register-webhook` (or set MOBILEPAY_WEBHOOK_SECRET).");
        var date = header(DateHeader);
        var contentHash = header(ContentHashHeader);
        var authorization = header(AuthorizationHeader);
        if (string.IsNullOrWhiteSpace(date)) return SignatureCheck.Invalid($"The {DateHeader} header is missing.");
        if (string.IsNullOrWhiteSpace(contentHash)) return SignatureCheck.Invalid($"The {ContentHashHeader} header is missing.");
        if (string.IsNullOrWhiteSpace(authorization)) return SignatureCheck.Invalid("The Authorization header is missing.");

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ContentHash(body)), Encoding.ASCII.GetBytes(contentHash)))
            return SignatureCheck.Invalid($"{ContentHashHeader} is not the SHA-256 of this body.");
        if (ParseSignature(authorization) is not { } given)
            return SignatureCheck.Invalid($"The Authorization header is not 'HMAC-SHA256 SignedHeaders={SignedHeaders}&Signature=<base64>'.");

        var matched = false;
        foreach (var secret in secrets)
        foreach (var target in targets)
        {
            var expected = Convert.FromBase64String(Signature(secret, StringToSign(method.ToUpperInvariant(), target, date, contentHash)));
            // Every candidate is compared (no early exit), so timing says nothing about which one matched.
            matched |= CryptographicOperations.FixedTimeEquals(expected, given);
        }
        if (!matched) return SignatureCheck.Invalid("The Authorization signature does not match this request and any known webhook secret.");

        if (!DateTimeOffset.TryParseExact(date, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sent))
            return SignatureCheck.Invalid($"{DateHeader} '{date}' is not an RFC 1123 date.");
        if ((now - sent).Duration() > tolerance)
            return SignatureCheck.Invalid($"{DateHeader} {date} is more than {tolerance.TotalMinutes:0} minutes from now.");
        return SignatureCheck.Valid;
    }

    /// <summary>The signature bytes of a well-formed Authorization header, or null.</summary>
    private static byte[]? ParseSignature(string authorization)
    {
        if (!authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)) return null;
        string? signedHeaders = null, signature = null;
        foreach (var part in authorization[Scheme.Length..].Trim().Split('&'))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) return null;
            var (name, value) = (part[..eq].Trim(), part[(eq + 1)..].Trim());
            if (name.Equals("SignedHeaders", StringComparison.OrdinalIgnoreCase)) signedHeaders = value;
            else if (name.Equals("Signature", StringComparison.OrdinalIgnoreCase)) signature = value;
        }
        if (!string.Equals(signedHeaders, SignedHeaders, StringComparison.OrdinalIgnoreCase) || signature is null) return null;
        var bytes = new byte[32];
        return Convert.TryFromBase64String(signature, bytes, out var written) && written == 32 ? bytes : null;
    }
}
