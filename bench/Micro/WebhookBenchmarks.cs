using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Payments.Core.Providers;
using Payments.Providers.Common;
using Payments.Providers.Dummy;
using Payments.Providers.PayPal;
using Payments.Providers.Stripe;

namespace Payments.Bench.Micro;

/// <summary>
/// What the webhook route spends per delivery before it touches the database: checking the signature
/// and turning the body into a <see cref="ProviderEvent"/>, for each provider's real format. Bodies
/// are built here (Stripe's pretty-printed envelope, PayPal's capture event), and PayPal's signature is
/// made with a throw-away certificate for messageverificationcerts.paypal.com, so the numbers need nothing from outside.
/// </summary>
[MemoryDiagnoser]
public class WebhookBenchmarks
{
    private const string Secret = "whsec_micro_benchmark_secret";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_760_000_000);
    private byte[] _dummyBody = null!;
    private string _dummyHeader = null!;
    private byte[] _stripeBody = null!;
    private string _stripeHeader = null!;
    private DummyProvider _dummy = null!;
    private WebhookRequest _dummyRequest = null!;
    private byte[] _payPalBody = null!;
    private PayPalTransmission _payPalTransmission = null!;
    private X509Certificate2 _payPalCertificate = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dummyBody = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id = "evt_01k9micro", type = "payment.succeeded", payment_id = "dm_01k9microbenchmark", amount = 1900, currency = "EUR",
        });
        _dummyHeader = TimestampedHmacSignature.Header(Secret, Now.ToUnixTimeSeconds(), _dummyBody);
        _dummy = new DummyProvider(new DummyOptions { WebhookSecret = Secret }, new NoCheckouts(), new FixedClock(Now));
        _dummyRequest = new WebhookRequest(
            new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Dummy-Signature"] = _dummyHeader }, _dummyBody, Now);

        _stripeBody = Bodies.StripeCheckoutCompleted();
        _stripeHeader = TimestampedHmacSignature.Header(Secret, Now.ToUnixTimeSeconds(), _stripeBody);

        _payPalBody = Bodies.PayPalCaptureCompleted();
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=messageverificationcerts.paypal.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("messageverificationcerts.paypal.com");
        request.CertificateExtensions.Add(names.Build());
        using var signer = request.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(30));
        _payPalCertificate = X509CertificateLoader.LoadCertificate(signer.Export(X509ContentType.Cert));
        const string id = "b2384410-f8d2-11ec-8f3c-0b6e0e4e8a0e", time = "2025-10-09T08:53:20Z", webhookId = "1JE4291016473214C";
        var message = Encoding.UTF8.GetBytes(PayPalSignature.SignedMessage(id, time, webhookId, _payPalBody));
        var signature = Convert.ToBase64String(key.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        _payPalTransmission = new PayPalTransmission(id, time, signature, "https://api.paypal.com/v1/notifications/certs/CERT", "SHA256withRSA");
        if (!VerifyPayPal().IsValid || !VerifyStripe().IsValid || !VerifyDummy().IsValid)
            throw new InvalidOperationException("A benchmark input does not verify; the numbers would measure the failure path.");
    }

    [Benchmark(Description = "Dummy: verify t=,v1= HMAC")]
    public SignatureCheck VerifyDummy() =>
        TimestampedHmacSignature.Verify(_dummyHeader, _dummyBody, Secret, Now, TimeSpan.FromSeconds(300));

    [Benchmark(Description = "Stripe: verify Stripe-Signature")]
    public SignatureCheck VerifyStripe() => StripeWebhookVerifier.Verify(_stripeHeader, _stripeBody, Secret, Now);

    [Benchmark(Description = "PayPal: verify offline (CRC32 + SHA256withRSA)")]
    public SignatureCheck VerifyPayPal() =>
        PayPalSignature.Verify(_payPalTransmission, _payPalBody, "1JE4291016473214C", _payPalCertificate, Now);

    [Benchmark(Description = "Dummy: verify + parse (ReceiveAsync)")]
    public Task<WebhookResult> ParseDummy() => _dummy.ReceiveAsync(_dummyRequest, CancellationToken.None);

    [Benchmark(Description = "Stripe: parse checkout.session.completed")]
    public ProviderEvent? ParseStripe() => StripeEvents.Parse(_stripeBody, out _);

    /// <summary>
    /// What the route would spend if it used Stripe.net's own intake instead of ours (verify, then
    /// deserialize into typed objects): the reason webhooks stay on our verifier and parser.
    /// </summary>
    [Benchmark(Description = "Stripe: Stripe.net EventUtility.ConstructEvent (not used; for comparison)")]
    public global::Stripe.Event ConstructStripeEventWithSdk() =>
        global::Stripe.EventUtility.ConstructEvent(Encoding.UTF8.GetString(_stripeBody), _stripeHeader, Secret, 300,
            Now.ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);

    [Benchmark(Description = "PayPal: parse envelope")]
    public PayPalWebhookEvent? ParsePayPal() => PayPalWebhookEvents.Envelope(_payPalBody);

    [GlobalCleanup]
    public void Cleanup() => _payPalCertificate.Dispose();
}

/// <summary>A clock fixed at the signing time, so the tolerance check always passes.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Parsing a webhook never touches the dummy's checkouts; nothing here keeps any.</summary>
internal sealed class NoCheckouts : IDummyCheckoutStore
{
    public Task<DummyCheckout> CreateOnceAsync(string idempotencyKey, DummyCheckout checkout, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<DummyCheckout?> FindAsync(string id, CancellationToken cancellationToken) => Task.FromResult<DummyCheckout?>(null);
    public Task<DummyCheckout?> SettleAsync(string id, ProviderPaymentStatus outcome, CancellationToken cancellationToken) => Task.FromResult<DummyCheckout?>(null);
    public Task<DummyRefundOutcome> RefundOnceAsync(string id, long amountMinor, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult(new DummyRefundOutcome(false, null, "unknown payment"));
}
