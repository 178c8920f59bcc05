using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Payments.Providers.Common;

namespace Payments.Providers.PayPal;

/// <summary>The PAYPAL-* headers of one webhook delivery.</summary>
public sealed record PayPalTransmission(string TransmissionId, string TransmissionTime, string Signature, string CertUrl, string AuthAlgo)
{
    public const string IdHeader = "PAYPAL-TRANSMISSION-ID";
    public const string TimeHeader = "PAYPAL-TRANSMISSION-TIME";
    public const string SignatureHeader = "PAYPAL-TRANSMISSION-SIG";
    public const string CertUrlHeader = "PAYPAL-CERT-URL";
    public const string AuthAlgoHeader = "PAYPAL-AUTH-ALGO";

    /// <summary>The only algorithm PayPal uses; anything else is refused rather than guessed at.</summary>
    public const string Sha256WithRsa = "SHA256withRSA";

    /// <summary>The headers, or the name of the first one missing.</summary>
    public static (PayPalTransmission? Transmission, string? Missing) From(Func<string, string?> header)
    {
        string? missing = null;
        string Get(string name)
        {
            var value = header(name);
            if (string.IsNullOrWhiteSpace(value)) missing ??= name;
            return value?.Trim() ?? "";
        }
        var transmission = new PayPalTransmission(Get(IdHeader), Get(TimeHeader), Get(SignatureHeader), Get(CertUrlHeader), Get(AuthAlgoHeader));
        return missing is null ? (transmission, null) : (null, missing);
    }
}

/// <summary>
/// PayPal's webhook signature, checked offline: SHA256withRSA over
/// <c>transmission_id|transmission_time|webhook_id|crc32(raw body as unsigned decimal)</c> with the
/// public key of the certificate at PAYPAL-CERT-URL. Pure functions; the clock is a parameter.
/// </summary>
public static class PayPalSignature
{
    public static string SignedMessage(string transmissionId, string transmissionTime, string webhookId, ReadOnlySpan<byte> body) =>
        string.Create(CultureInfo.InvariantCulture, $"{transmissionId}|{transmissionTime}|{webhookId}|{Crc32.Compute(body)}");

    /// <summary>
    /// The certificate URL must be https on paypal.com or one of its subdomains: otherwise anyone
    /// could sign a delivery with their own key and point us at their own certificate.
    /// </summary>
    public static bool IsTrustedCertUrl(string? url, out Uri? uri, out string? why)
    {
        uri = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed)) why = $"PAYPAL-CERT-URL '{url}' is not a URL.";
        else if (parsed.Scheme != Uri.UriSchemeHttps) why = $"PAYPAL-CERT-URL must be https, not {parsed.Scheme}.";
        else if (!IsPayPalHost(parsed.IdnHost)) why = $"PAYPAL-CERT-URL host '{parsed.Host}' is not paypal.com.";
        else if (!parsed.IsDefaultPort || parsed.UserInfo.Length > 0) why = "PAYPAL-CERT-URL must not carry a port or credentials.";
        else
        {
            (uri, why) = (parsed, null);
            return true;
        }
        return false;
    }

    public static bool IsPayPalHost(string host) =>
        host.Equals("paypal.com", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".paypal.com", StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks one delivery against a certificate at <paramref name="now"/>.</summary>
    public static SignatureCheck Verify(
        PayPalTransmission transmission, ReadOnlySpan<byte> body, string webhookId, X509Certificate2 certificate, DateTimeOffset now)
    {
        if (!string.Equals(transmission.AuthAlgo, PayPalTransmission.Sha256WithRsa, StringComparison.OrdinalIgnoreCase))
            return SignatureCheck.Invalid($"PAYPAL-AUTH-ALGO '{transmission.AuthAlgo}' is not {PayPalTransmission.Sha256WithRsa}.");
        var utcNow = now.UtcDateTime;
        if (utcNow < certificate.NotBefore.ToUniversalTime() || utcNow > certificate.NotAfter.ToUniversalTime())
            return SignatureCheck.Invalid(
                $"The signing certificate is valid {certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u}, not now.");
        var subject = certificate.GetNameInfo(X509NameType.DnsName, forIssuer: false);
        if (!IsPayPalHost(subject))
            return SignatureCheck.Invalid($"The signing certificate belongs to '{subject}', not to paypal.com.");

        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is null) return SignatureCheck.Invalid("The signing certificate has no RSA key.");
        var signature = new byte[transmission.Signature.Length];
        if (!Convert.TryFromBase64String(transmission.Signature, signature, out var length))
            return SignatureCheck.Invalid("PAYPAL-TRANSMISSION-SIG is not base64.");

        var message = Encoding.UTF8.GetBytes(SignedMessage(transmission.TransmissionId, transmission.TransmissionTime, webhookId, body));
        return rsa.VerifyData(message, signature.AsSpan(0, length), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            ? SignatureCheck.Valid
            : SignatureCheck.Invalid("PAYPAL-TRANSMISSION-SIG does not match this body and webhook id.");
    }
}

/// <summary>CRC-32 (IEEE 802.3, the zlib/Java one PayPal uses). The BCL's lives in a NuGet package we do not need for 20 lines.</summary>
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
