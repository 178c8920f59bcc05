using System.Text;
using Payments.Core.Providers;
using Payments.Providers.MobilePay;
using Payments.Providers.Tests.Support;

namespace Payments.Providers.Tests.MobilePay;

/// <summary>Which secrets and URLs a delivery is checked with, and when the stored secrets are read again.</summary>
public class MobilePayWebhookVerifierTests
{
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryMobilePayWebhookStore _store = new();
    private static readonly Uri Registered = new("https://shop.example/api/v1/payment/webhook/mobilepay");
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"msn":"123456","reference":"mp-abcdefgh","pspReference":"1","name":"CREATED","amount":{"currency":"NOK","value":100},"timestamp":"2026-03-01T12:00:00Z","success":true}""");

    private MobilePayWebhookVerifier Verifier(string? configured = null)
    {
        var options = new MobilePayOptions { MerchantSerialNumber = "123456", WebhookSecret = configured };
        return new MobilePayWebhookVerifier(new MobilePayWebhookSecrets(_store, options, _clock), options);
    }

    /// <summary>A delivery signed for <paramref name="signedFor"/>, as it reaches us at <paramref name="received"/>.</summary>
    private WebhookRequest Delivery(string secret, Uri signedFor, Uri? received = null)
    {
        var signed = MobilePayWebhookSignature.Sign(secret, signedFor, Body, _clock.GetUtcNow());
        received ??= signedFor;
        var headers = new Dictionary<string, string>
        {
            ["Host"] = received.Authority, ["x-ms-date"] = signed.Date, ["x-ms-content-sha256"] = signed.ContentHash, ["Authorization"] = signed.Authorization,
        };
        return new WebhookRequest(headers, Body, _clock.GetUtcNow(), "POST", received);
    }

    private Task Register(string secret, string id = "wh-1", string msn = "123456") =>
        _store.SaveAsync(new MobilePayWebhook(id, msn, Registered, ["epayments.payment.captured.v1"], secret), default);

    [Fact]
    public async Task A_delivery_signed_with_a_stored_secret_verifies()
    {
        await Register("stored-secret");
        Assert.True((await Verifier().VerifyAsync(Delivery("stored-secret", Registered), default)).Verified);
    }

    [Fact]
    public async Task A_secret_stored_after_the_first_read_is_found_by_reading_again_at_most_once_a_second()
    {
        await Register("first");
        var verifier = Verifier();
        Assert.True((await verifier.VerifyAsync(Delivery("first", Registered), default)).Verified);

        await Register("second", "wh-2"); // the CLI registered another webhook meanwhile
        _clock.Now += TimeSpan.FromSeconds(1);
        Assert.True((await verifier.VerifyAsync(Delivery("second", Registered), default)).Verified);

        var reads = _store.Reads;
        Assert.False((await verifier.VerifyAsync(Delivery("forged", Registered), default)).Verified);
        Assert.False((await verifier.VerifyAsync(Delivery("forged", Registered), default)).Verified);
        Assert.Equal(reads, _store.Reads); // forgeries within the second do not reach the database
    }

    [Fact]
    public async Task Another_sales_units_webhooks_are_not_trusted()
    {
        await Register("theirs", msn: "654321");
        Assert.False((await Verifier().VerifyAsync(Delivery("theirs", Registered), default)).Verified);
    }

    [Fact]
    public async Task The_configured_secret_verifies_against_the_URL_as_received()
    {
        var received = new Uri("http://127.0.0.1:5080/api/v1/payment/webhook/mobilepay");
        Assert.True((await Verifier("configured").VerifyAsync(Delivery("configured", received), default)).Verified);
    }

    [Fact]
    public async Task Behind_a_proxy_that_rewrote_the_host_the_registered_URL_is_what_Vipps_signed()
    {
        await Register("stored-secret");
        var behindProxy = new Uri("http://10.0.0.5:8080/api/v1/payment/webhook/mobilepay");
        Assert.True((await Verifier().VerifyAsync(Delivery("stored-secret", Registered, received: behindProxy), default)).Verified);
        // …but a signature for some other URL is not accepted anywhere.
        Assert.False((await Verifier().VerifyAsync(Delivery("stored-secret", new Uri("https://other.example/hook"), behindProxy), default)).Verified);
    }

    [Fact]
    public async Task Without_any_secret_the_refusal_says_how_to_register_one()
    {
        var verification = await Verifier().VerifyAsync(Delivery("anything", Registered), default);
        Assert.False(verification.Verified);
        Assert.Contains("payments-cli mobilepay register-webhook", verification.Failure);
    }
}
