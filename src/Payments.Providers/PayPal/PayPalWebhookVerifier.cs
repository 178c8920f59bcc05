using System.Buffers;
using System.Text.Json;
using Payments.Core.Providers;

namespace Payments.Providers.PayPal;

/// <summary>Whether a delivery was proven to come from PayPal, how, and why not.</summary>
public sealed record PayPalVerification(bool Valid, string Method, string? Failure);

/// <summary>
/// Proves a delivery came from PayPal, for the webhook configured as <c>PAYPAL_WEBHOOK_ID</c>:
/// <list type="number">
/// <item>PayPal's own <c>POST /v1/notifications/verify-webhook-signature</c> ("paypal-api"), sent the raw
/// body byte for byte, because PayPal checks its signature over the bytes it sent;</item>
/// <item>when that API cannot be reached, the same check offline ("paypal-cert"): the certificate at
/// PAYPAL-CERT-URL (https on paypal.com only), valid at the time of receipt, and SHA256withRSA over
/// <c>transmission_id|transmission_time|webhook_id|crc32</c>.</item>
/// </list>
/// Without a webhook id nothing can be verified; <see cref="PayPalWebhookEvents"/> then fetches the
/// resource from PayPal instead of trusting the body.
/// </summary>
public sealed class PayPalWebhookVerifier(PayPalClient client, IPayPalCertificateSource certificates)
{
    public const string ApiMethod = "paypal-api";
    public const string CertificateMethod = "paypal-cert";

    public async Task<PayPalVerification> VerifyAsync(WebhookRequest request, string webhookId, CancellationToken ct)
    {
        var (transmission, missing) = PayPalTransmission.From(request.Header);
        if (transmission is null) return new(false, ApiMethod, $"The {missing} header is missing.");
        // Checked before asking PayPal too: a delivery naming a foreign certificate is forged whatever the API says.
        if (!PayPalSignature.IsTrustedCertUrl(transmission.CertUrl, out _, out var why)) return new(false, ApiMethod, why);
        if (VerifyRequest(transmission, webhookId, request.Body.Span) is not { } apiRequest)
            return new(false, ApiMethod, "The body is not a JSON value.");

        try
        {
            return await client.VerifyWebhookSignatureAsync(apiRequest, ct)
                ? new(true, ApiMethod, null)
                : new(false, ApiMethod, "PayPal answered verification_status FAILURE.");
        }
        catch (ProviderUnavailableException)
        {
            // PayPal's API is down or unreachable; its certificate still proves the delivery.
            return await VerifyOfflineAsync(request, webhookId, ct);
        }
        catch (ProviderErrorException e)
        {
            return new(false, ApiMethod, e.Message);
        }
    }

    /// <summary>The certificate check alone, at <see cref="WebhookRequest.ReceivedAt"/>.</summary>
    public async Task<PayPalVerification> VerifyOfflineAsync(WebhookRequest request, string webhookId, CancellationToken ct)
    {
        var (transmission, missing) = PayPalTransmission.From(request.Header);
        if (transmission is null) return new(false, CertificateMethod, $"The {missing} header is missing.");
        if (!PayPalSignature.IsTrustedCertUrl(transmission.CertUrl, out var certUrl, out var why))
            return new(false, CertificateMethod, why);
        var certificate = await certificates.GetAsync(certUrl!, ct);
        var check = PayPalSignature.Verify(transmission, request.Body.Span, webhookId, certificate, request.ReceivedAt);
        return new(check.IsValid, CertificateMethod, check.Failure);
    }

    /// <summary>The verify-webhook-signature request with the delivery spliced in verbatim as <c>webhook_event</c>; null when the body is not JSON.</summary>
    public static byte[]? VerifyRequest(PayPalTransmission transmission, string webhookId, ReadOnlySpan<byte> body)
    {
        var buffer = new ArrayBufferWriter<byte>(body.Length + 1024);
        using var json = new Utf8JsonWriter(buffer);
        json.WriteStartObject();
        json.WriteString("auth_algo", transmission.AuthAlgo);
        json.WriteString("cert_url", transmission.CertUrl);
        json.WriteString("transmission_id", transmission.TransmissionId);
        json.WriteString("transmission_sig", transmission.Signature);
        json.WriteString("transmission_time", transmission.TransmissionTime);
        json.WriteString("webhook_id", webhookId);
        json.WritePropertyName("webhook_event");
        try
        {
            // Re-serializing would change bytes (escaping, number forms) and PayPal would answer FAILURE.
            json.WriteRawValue(body, skipInputValidation: false);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return null;
        }
        json.WriteEndObject();
        json.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
