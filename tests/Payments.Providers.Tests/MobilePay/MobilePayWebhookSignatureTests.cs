using System.Text;
using System.Text.Json;
using Payments.Providers.MobilePay;
using Payments.Tests.TestData;

namespace Payments.Providers.Tests.MobilePay;

/// <summary>
/// The Webhooks API's HMAC scheme against the worked example in Vipps's own documentation
/// (tests/TestData/mobilepay-webhook-vector.json, or the file MOBILEPAY_VECTOR_FILE names), and what
/// must make it fail.
/// </summary>
public class MobilePayWebhookSignatureTests
{
    private static readonly JsonElement Vector =
        JsonDocument.Parse(File.ReadAllText(TestVectors.PathOf("mobilepay-webhook-vector.json", "MOBILEPAY_VECTOR_FILE"))).RootElement.Clone();

    private static string V(string name) => Vector.GetProperty(name).GetString()!;
    private static string H(string name) => Vector.GetProperty("headers").GetProperty(name).GetString()!;
    private static Uri Url => new(V("url"));
    private static byte[] Body => Encoding.UTF8.GetBytes(V("body"));
    private static DateTimeOffset SentAt => DateTimeOffset.Parse(H("x-ms-date"), System.Globalization.CultureInfo.InvariantCulture);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private static Func<string, string?> Headers(params (string Name, string? Value)[] overrides)
    {
        var headers = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in Vector.GetProperty("headers").EnumerateObject()) headers[p.Name] = p.Value.GetString();
        foreach (var (name, value) in overrides) headers[name] = value;
        return name => headers.GetValueOrDefault(name);
    }

    private static Payments.Providers.Common.SignatureCheck Check(
        Func<string, string?>? headers = null, byte[]? body = null, string? secret = null, DateTimeOffset? now = null, Uri? url = null) =>
        MobilePayWebhookSignature.Verify("POST", [MobilePayWebhookSignature.Target.Of(url ?? Url)], headers ?? Headers(), body ?? Body,
            [secret ?? V("secret")], now ?? SentAt, Tolerance);

    [Fact]
    public void The_documented_delivery_verifies()
    {
        var check = Check();
        Assert.True(check.IsValid, check.Failure);
    }

    [Fact]
    public void We_compute_the_documented_content_hash_string_to_sign_and_headers()
    {
        Assert.Equal(H("x-ms-content-sha256"), MobilePayWebhookSignature.ContentHash(Body));
        Assert.Equal(V("string_to_sign"), MobilePayWebhookSignature.StringToSign("POST", MobilePayWebhookSignature.Target.Of(Url), H("x-ms-date"), H("x-ms-content-sha256")));
        var signed = MobilePayWebhookSignature.Sign(V("secret"), Url, Body, SentAt);
        Assert.Equal((H("x-ms-date"), H("x-ms-content-sha256"), H("Authorization")), (signed.Date, signed.ContentHash, signed.Authorization));
    }

    [Fact]
    public void A_body_that_is_not_the_one_hashed_is_refused()
    {
        var check = Check(body: Encoding.UTF8.GetBytes(V("body").Replace("hello", "jello", StringComparison.Ordinal)));
        Assert.False(check.IsValid);
        Assert.Contains("x-ms-content-sha256", check.Failure);
    }

    [Fact]
    public void A_changed_body_with_its_own_hash_but_the_old_signature_is_refused()
    {
        var forged = Encoding.UTF8.GetBytes(V("body").Replace("hello", "jello", StringComparison.Ordinal));
        var check = Check(Headers(("x-ms-content-sha256", MobilePayWebhookSignature.ContentHash(forged))), forged);
        Assert.False(check.IsValid);
        Assert.Contains("signature does not match", check.Failure);
    }

    [Theory]
    [InlineData("another-secret")]
    [InlineData("QTArQWVLQlJHMktSR3ZuTndKcFFsYjZJSkZrNDhDS1hDSWNyTG9IbmNWSktETElzUVN4UzZOV0NjY3dXbTZyNkZoR0toaUhUQnNHMndvL3hVNkZZL0E9PQ==")]
    public void Another_secret_does_not_verify(string secret) => Assert.False(Check(secret: secret).IsValid);

    [Fact]
    public void The_secret_is_its_text_not_its_base64_decoding()
    {
        var decoded = Convert.FromBase64String(V("secret"));
        Assert.False(Check(secret: Encoding.Latin1.GetString(decoded)).IsValid);
    }

    [Fact]
    public void Another_path_or_host_does_not_verify()
    {
        Assert.False(Check(url: new Uri("https://webhook.site/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63?x=1")).IsValid);
        Assert.False(Check(url: new Uri("https://webhook.site:8443/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63")).IsValid);
        Assert.False(Check(url: new Uri("https://evil.example/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63")).IsValid);
    }

    [Fact]
    public void Any_of_several_targets_and_secrets_may_match()
    {
        var check = MobilePayWebhookSignature.Verify("POST",
            [new("/elsewhere", "proxy.internal:8080"), MobilePayWebhookSignature.Target.Of(Url)], Headers(), Body,
            ["old-secret", V("secret")], SentAt, Tolerance);
        Assert.True(check.IsValid, check.Failure);
    }

    [Theory]
    [InlineData(-300, true)]
    [InlineData(300, true)]
    [InlineData(301, false)]
    [InlineData(-301, false)]
    [InlineData(86_400, false)]
    public void The_date_must_be_within_the_tolerance_of_now_either_way(int secondsLater, bool valid)
    {
        var check = Check(now: SentAt.AddSeconds(secondsLater));
        Assert.Equal(valid, check.IsValid);
        if (!valid) Assert.Contains("x-ms-date", check.Failure);
    }

    [Theory]
    [InlineData("x-ms-date")]
    [InlineData("x-ms-content-sha256")]
    [InlineData("Authorization")]
    public void A_missing_header_is_refused_naming_it(string header)
    {
        var check = Check(Headers((header, null)));
        Assert.False(check.IsValid);
        Assert.Contains(header, check.Failure);
    }

    [Theory]
    [InlineData("HMAC-SHA256 Signature=agAiSyogQbDHpeucoNwYz+yAr5nJ+v+zasdkSbqzv+U=")]
    [InlineData("HMAC-SHA256 SignedHeaders=x-ms-date;host&Signature=agAiSyogQbDHpeucoNwYz+yAr5nJ+v+zasdkSbqzv+U=")]
    [InlineData("HMAC-SHA1 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=agAiSyogQbDHpeucoNwYz+yAr5nJ+v+zasdkSbqzv+U=")]
    [InlineData("HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=not base64")]
    [InlineData("HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=agAiSyogQbDHpeucoNwYz+yAr5nJ+v+zasdkSbqzv+U=AAAA")]
    public void A_malformed_authorization_header_is_refused(string authorization) =>
        Assert.False(Check(Headers(("Authorization", authorization))).IsValid);

    [Fact]
    public void A_date_changed_after_signing_is_refused_even_within_the_tolerance()
    {
        var later = "Thu, 30 Mar 2023 08:39:32 GMT";
        Assert.False(Check(Headers(("x-ms-date", later)), now: SentAt.AddMinutes(1)).IsValid);
    }

    [Fact]
    public void Without_any_secret_nothing_verifies_and_the_answer_says_how_to_get_one()
    {
        var check = MobilePayWebhookSignature.Verify("POST", [MobilePayWebhookSignature.Target.Of(Url)], Headers(), Body, [], SentAt, Tolerance);
        Assert.False(check.IsValid);
        Assert.Contains("register-webhook", check.Failure);
    }
}
