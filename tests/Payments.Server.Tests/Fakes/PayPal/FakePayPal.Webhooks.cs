using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Payments.Providers.PayPal;

namespace Payments.Server.Tests.Fakes.PayPal;

/// <summary>A webhook delivery as PayPal sends it: raw body and PAYPAL-* headers.</summary>
public sealed record PayPalDelivery(byte[] Body, IReadOnlyDictionary<string, string> Headers)
{
    public string EventId => JsonNode.Parse(Body)!["id"]!.GetValue<string>();

    /// <summary>The same headers on another body (a tampered delivery).</summary>
    public PayPalDelivery WithBody(string body) => this with { Body = Encoding.UTF8.GetBytes(body) };

    public PayPalDelivery WithHeader(string name, string? value)
    {
        var headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase);
        if (value is null) headers.Remove(name);
        else headers[name] = value;
        return this with { Headers = headers };
    }
}

/// <summary>The fake's webhooks: signed with its own key, whose certificate "lives" at a paypal.com URL.</summary>
public sealed partial class FakePayPal
{
    private readonly RSA _signingKey = RSA.Create(2048);
    private X509Certificate2? _certificate;

    /// <summary>Where this PayPal says its certificate is (tests hand the service the certificate for it).</summary>
    public string CertUrl { get; } = $"https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-{Guid.NewGuid():N}"[..95];

    /// <summary>The public certificate, valid 2019–2035, issued to messageverificationcerts.sandbox.paypal.com like PayPal's.</summary>
    public X509Certificate2 Certificate => _certificate ??= CreateCertificate();

    public int VerifyCalls => RequestsTo("POST", "/v1/notifications/verify-webhook-signature").Count;

    public PayPalDelivery OrderApproved(string orderId)
    {
        lock (State.Gate)
            return Event("CHECKOUT.ORDER.APPROVED", "checkout-order", "An order has been approved by buyer — “Basic”",
                FakePayPalJson.Order(State.Orders[orderId], BaseAddress));
    }

    /// <summary>PAYMENT.CAPTURE.COMPLETED / PENDING / DENIED for a capture as it is now; <paramref name="edit"/> may lie about it.</summary>
    public PayPalDelivery CaptureEvent(string eventType, string captureId, Action<JsonObject>? edit = null)
    {
        JsonObject resource;
        lock (State.Gate) resource = FakePayPalJson.Capture(State.Captures[captureId], BaseAddress);
        edit?.Invoke(resource);
        return Event(eventType, "capture", $"Payment {eventType} for € {resource["amount"]?["value"]} {resource["amount"]?["currency_code"]}", resource);
    }

    /// <summary>PAYMENT.CAPTURE.REFUNDED for one refund; <paramref name="edit"/> may drop or change fields.</summary>
    public PayPalDelivery RefundEvent(string refundId, Action<JsonObject>? edit = null)
    {
        JsonObject resource;
        lock (State.Gate) resource = FakePayPalJson.Refund(State.Refunds[refundId], BaseAddress);
        edit?.Invoke(resource);
        return Event("PAYMENT.CAPTURE.REFUNDED", "refund", "A payment capture was refunded", resource);
    }

    public PayPalDelivery Event(string eventType, string resourceType, string summary, JsonObject resource)
    {
        var id = $"WH-{FakePayPalState.NewId()}-{FakePayPalState.NewId()}";
        var body = new JsonObject
        {
            ["id"] = id,
            ["event_version"] = "1.0",
            ["create_time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["resource_type"] = resourceType,
            ["resource_version"] = "2.0",
            ["event_type"] = eventType,
            ["summary"] = summary,
            ["resource"] = resource,
            ["links"] = new JsonArray(FakePayPalJson.Link($"{BaseAddress}v1/notifications/webhooks-events/{id}", "self", "GET")),
        };
        // Raw UTF-8 (PayPal writes "€" as is): a service that re-serializes the event before asking PayPal
        // to verify it would send other bytes and get FAILURE, as it would from PayPal.
        return Sign(Encoding.UTF8.GetBytes(body.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })));
    }

    /// <summary>Signs a body as PayPal does: SHA256withRSA over transmission_id|transmission_time|webhook_id|crc32.</summary>
    public PayPalDelivery Sign(byte[] body, string? webhookId = null)
    {
        var transmissionId = Guid.NewGuid().ToString();
        var time = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var message = $"{transmissionId}|{time}|{webhookId ?? WebhookId}|{Crc32.Compute(body)}";
        var signature = _signingKey.SignData(Encoding.UTF8.GetBytes(message), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return new PayPalDelivery(body, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["PAYPAL-TRANSMISSION-ID"] = transmissionId,
            ["PAYPAL-TRANSMISSION-TIME"] = time,
            ["PAYPAL-TRANSMISSION-SIG"] = Convert.ToBase64String(signature),
            ["PAYPAL-CERT-URL"] = CertUrl,
            ["PAYPAL-AUTH-ALGO"] = "SHA256withRSA",
        });
    }

    /// <summary>Posts a delivery to the service's PayPal webhook route, as PayPal would.</summary>
    public async Task<HttpResponseMessage> DeliverAsync(PayPalDelivery delivery)
    {
        using var http = new HttpClient { BaseAddress = _webhookTarget() };
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payment/webhook/paypal")
        {
            Content = new ByteArrayContent(delivery.Body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        foreach (var (name, value) in delivery.Headers) request.Headers.TryAddWithoutValidation(name, value);
        return await http.SendAsync(request);
    }

    /// <summary>
    /// POST /v1/notifications/verify-webhook-signature: checks the signature over the webhook_event bytes
    /// exactly as the service sent them (a re-serialized event has another CRC and fails, as at PayPal).
    /// </summary>
    private (int, string) VerifySignature(PayPalRecordedRequest r)
    {
        if (VerifyApiDown) return (503, Err(503, "SERVICE_UNAVAILABLE", "Service Unavailable."));
        using var doc = JsonDocument.Parse(r.Body);
        var root = doc.RootElement;
        string? S(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var fields = new[] { "auth_algo", "cert_url", "transmission_id", "transmission_sig", "transmission_time", "webhook_id" };
        var missing = fields.FirstOrDefault(f => string.IsNullOrEmpty(S(f)));
        if (!root.TryGetProperty("webhook_event", out var webhookEvent)) missing ??= "webhook_event";
        if (missing is not null) return (400, Err(400, "MISSING_REQUIRED_PARAMETER", $"{missing} is required."));

        var message = $"{S("transmission_id")}|{S("transmission_time")}|{S("webhook_id")}|{Crc32.Compute(Encoding.UTF8.GetBytes(webhookEvent.GetRawText()))}";
        var signature = new byte[512];
        var valid = S("webhook_id") == WebhookId && S("cert_url") == CertUrl && S("auth_algo") == "SHA256withRSA"
                    && Convert.TryFromBase64String(S("transmission_sig")!, signature, out var length)
                    && _signingKey.VerifyData(Encoding.UTF8.GetBytes(message), signature.AsSpan(0, length), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return (200, new JsonObject { ["verification_status"] = valid ? "SUCCESS" : "FAILURE" }.ToJsonString());
    }

    private X509Certificate2 CreateCertificate()
    {
        var request = new CertificateRequest("CN=messageverificationcerts.sandbox.paypal.com, O=\"PayPal, Inc.\", C=US",
            _signingKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("messageverificationcerts.sandbox.paypal.com");
        request.CertificateExtensions.Add(san.Build());
        using var withKey = request.CreateSelfSigned(new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2035, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return X509Certificate2.CreateFromPem(withKey.ExportCertificatePem()); // the public part only, as PayPal serves it
    }
}
