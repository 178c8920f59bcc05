using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Payments.Core.Providers;
using Payments.Providers.PayPal;
using Payments.Providers.Tests.Support;
using Payments.Tests.TestData;

namespace Payments.Providers.Tests.PayPal;

/// <summary>
/// Offline verification against a real PayPal delivery (PayPal's Java SDK test ValidateCertTest,
/// tests/TestData/paypal-webhook-vector.json, or the file named by PAYPAL_VECTOR_FILE). Its certificate expired in 2021, so the clock is
/// pinned inside its validity; the production code keeps checking expiry.
/// </summary>
public class PayPalWebhookVectorTests
{
    private static readonly JsonElement Vector = JsonDocument.Parse(File.ReadAllText(TestVectors.PayPalWebhookPath)).RootElement;
    private static readonly DateTimeOffset InsideValidity = new(2020, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static string S(string name) => Vector.GetProperty(name).GetString()!;
    private static string WebhookId => S("webhook_id");
    private static byte[] Body => Encoding.UTF8.GetBytes(S("body"));
    private static X509Certificate2 Certificate => X509Certificate2.CreateFromPem(S("certificate_pem"));

    private static Dictionary<string, string> Headers(Action<Dictionary<string, string>>? change = null)
    {
        var headers = Vector.GetProperty("headers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase);
        change?.Invoke(headers);
        return headers;
    }

    private static PayPalTransmission Transmission(Dictionary<string, string>? headers = null)
    {
        var h = headers ?? Headers();
        return PayPalTransmission.From(name => h.GetValueOrDefault(name)).Transmission!;
    }

    [Fact]
    public void Crc32_and_signed_message_match_the_vector()
    {
        Assert.Equal(Vector.GetProperty("crc32_unsigned_decimal").GetUInt32(), Crc32.Compute(Body));
        Assert.Equal(S("signed_message"), PayPalSignature.SignedMessage(
            Headers()["PAYPAL-TRANSMISSION-ID"], Headers()["PAYPAL-TRANSMISSION-TIME"], WebhookId, Body));
    }

    [Fact]
    public void The_real_PayPal_delivery_verifies_while_its_certificate_is_valid() =>
        Assert.True(PayPalSignature.Verify(Transmission(), Body, WebhookId, Certificate, InsideValidity).IsValid);

    [Fact]
    public void Webhook_id_NotToBeFound_fails()
    {
        var check = PayPalSignature.Verify(Transmission(), Body, "NotToBeFound", Certificate, InsideValidity);
        Assert.False(check.IsValid);
        Assert.Contains("does not match", check.Failure);
    }

    [Fact]
    public void Any_changed_byte_of_the_body_fails()
    {
        var body = Body;
        foreach (var i in new[] { 0, body.Length / 2, body.Length - 1 })
        {
            var changed = (byte[])body.Clone();
            changed[i] ^= 0x01;
            Assert.False(PayPalSignature.Verify(Transmission(), changed, WebhookId, Certificate, InsideValidity).IsValid);
        }
    }

    [Fact]
    public void A_changed_transmission_id_or_time_fails()
    {
        Assert.False(PayPalSignature.Verify(Transmission(Headers(h => h["PAYPAL-TRANSMISSION-ID"] = "afa30d40-ca4a-11e9-ab68-7d4e2605c70d")),
            Body, WebhookId, Certificate, InsideValidity).IsValid);
        Assert.False(PayPalSignature.Verify(Transmission(Headers(h => h["PAYPAL-TRANSMISSION-TIME"] = "2019-08-29T10:49:34Z")),
            Body, WebhookId, Certificate, InsideValidity).IsValid);
    }

    [Theory]
    [InlineData("2021-05-24T12:00:01Z")] // a second after notAfter
    [InlineData("2026-01-01T00:00:00Z")]
    [InlineData("2019-04-01T23:59:59Z")] // before notBefore
    public void An_expired_or_not_yet_valid_certificate_fails(string now)
    {
        var check = PayPalSignature.Verify(Transmission(), Body, WebhookId, Certificate, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(check.IsValid);
        Assert.Contains("valid", check.Failure);
    }

    [Fact]
    public void Another_algorithm_is_refused() =>
        Assert.False(PayPalSignature.Verify(Transmission(Headers(h => h["PAYPAL-AUTH-ALGO"] = "SHA1withRSA")), Body, WebhookId, Certificate, InsideValidity).IsValid);

    [Theory]
    [InlineData("https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270", true)]
    [InlineData("https://api.paypal.com/v1/notifications/certs/CERT-1", true)]
    [InlineData("https://paypal.com/cert", true)]
    [InlineData("http://api.paypal.com/v1/notifications/certs/CERT-1", false)]
    [InlineData("https://api.paypal.com.evil.example/cert", false)]
    [InlineData("https://evilpaypal.com/cert", false)]
    [InlineData("https://paypal.com@evil.example/cert", false)]
    [InlineData("https://api.paypal.com:8443/cert", false)]
    [InlineData("https://evil.example/api.paypal.com", false)]
    [InlineData("file:///etc/paypal.com", false)]
    [InlineData("/v1/notifications/certs/CERT-1", false)]
    public void Only_https_certificate_urls_on_paypal_com_are_trusted(string url, bool trusted) =>
        Assert.Equal(trusted, PayPalSignature.IsTrustedCertUrl(url, out _, out _));

    [Fact]
    public async Task The_verifier_checks_the_vector_offline_with_the_certificate_its_url_names()
    {
        var source = new KnownCertificates { [Headers()["PAYPAL-CERT-URL"]] = Certificate };
        var verifier = new PayPalWebhookVerifier(null!, source);

        var valid = await verifier.VerifyOfflineAsync(new WebhookRequest(Headers(), Body, InsideValidity), WebhookId, default);
        var wrongId = await verifier.VerifyOfflineAsync(new WebhookRequest(Headers(), Body, InsideValidity), "NotToBeFound", default);
        var expired = await verifier.VerifyOfflineAsync(new WebhookRequest(Headers(), Body, InsideValidity.AddYears(2)), WebhookId, default);
        var foreignUrl = await verifier.VerifyOfflineAsync(
            new WebhookRequest(Headers(h => h["PAYPAL-CERT-URL"] = "https://evil.example/cert"), Body, InsideValidity), WebhookId, default);
        var plainHttp = await verifier.VerifyOfflineAsync(
            new WebhookRequest(Headers(h => h["PAYPAL-CERT-URL"] = h["PAYPAL-CERT-URL"].Replace("https:", "http:")), Body, InsideValidity), WebhookId, default);
        var noSignature = await verifier.VerifyOfflineAsync(
            new WebhookRequest(Headers(h => h.Remove("PAYPAL-TRANSMISSION-SIG")), Body, InsideValidity), WebhookId, default);

        Assert.Equal((true, "paypal-cert"), (valid.Valid, valid.Method));
        Assert.False(wrongId.Valid);
        Assert.False(expired.Valid);
        Assert.False(foreignUrl.Valid);
        Assert.Contains("not paypal.com", foreignUrl.Failure);
        Assert.False(plainHttp.Valid);
        Assert.Contains("https", plainHttp.Failure);
        Assert.Contains("PAYPAL-TRANSMISSION-SIG", noSignature.Failure);
        Assert.Equal(3, source.Fetches); // the first three; the foreign and plain-http URLs were never fetched
    }

    [Fact]
    public void The_api_verification_request_carries_the_body_byte_for_byte()
    {
        // Unusual but valid JSON spellings that a re-serialization would change.
        var body = Encoding.UTF8.GetBytes("{\"id\":\"WH-1\", \"event_type\":\"X\",\"n\":1.50,\"s\":\"\\u00e9\"}");
        var request = PayPalWebhookVerifier.VerifyRequest(Transmission(), WebhookId, body)!;
        using var doc = JsonDocument.Parse(request);
        Assert.Equal(Encoding.UTF8.GetString(body), doc.RootElement.GetProperty("webhook_event").GetRawText());
        Assert.Equal(WebhookId, doc.RootElement.GetProperty("webhook_id").GetString());
        Assert.Equal("SHA256withRSA", doc.RootElement.GetProperty("auth_algo").GetString());
        Assert.Null(PayPalWebhookVerifier.VerifyRequest(Transmission(), WebhookId, "{not json"u8));
    }

    private sealed class KnownCertificates : Dictionary<string, X509Certificate2>, IPayPalCertificateSource
    {
        public int Fetches { get; private set; }

        public Task<X509Certificate2> GetAsync(Uri certUrl, CancellationToken cancellationToken)
        {
            Fetches++;
            return Task.FromResult(this[certUrl.AbsoluteUri]);
        }
    }
}
