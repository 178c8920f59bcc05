using System.Net;
using System.Text.Json.Nodes;
using Payments.Core.Errors;
using Payments.Core.Money;
using Payments.Core.Providers;
using Payments.Providers.MobilePay;
using Payments.Providers.Tests.Support;

namespace Payments.Providers.Tests.MobilePay;

/// <summary>What every call to Vipps carries, the access token's life, and capture's decisions, against a scripted Vipps.</summary>
public class MobilePayClientTests
{
    private const string Reference = "mp-01jd8x0000000000000000000a";
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ScriptedVipps _vipps = new();

    private static readonly MobilePayOptions Options = new()
    {
        ClientId = "client-id", ClientSecret = "client-secret", SubscriptionKey = "sub-key", MerchantSerialNumber = "123456",
        Enabled = true, RetryDelay = TimeSpan.FromMilliseconds(1),
    };

    private MobilePayClient Client() => new(new HttpClient(_vipps) { BaseAddress = new Uri("https://apitest.vipps.no/") }, new MobilePayAccessTokens(_clock), Options);

    private MobilePayProvider Provider()
    {
        var client = Client();
        var store = new InMemoryMobilePayWebhookStore();
        var secrets = new MobilePayWebhookSecrets(store, Options, _clock);
        return new MobilePayProvider(Options, client, new MobilePayWebhookVerifier(secrets, Options), new MobilePayWebhookEvents(client, Options), store, secrets);
    }

    private static string Payment(string state, long authorized = 0, long captured = 0, long refunded = 0, long cancelled = 0) => new JsonObject
    {
        ["reference"] = Reference, ["state"] = state, ["pspReference"] = "psp-create",
        ["amount"] = Nok(49900),
        ["aggregate"] = new JsonObject
        {
            ["authorizedAmount"] = Nok(authorized), ["capturedAmount"] = Nok(captured),
            ["refundedAmount"] = Nok(refunded), ["cancelledAmount"] = Nok(cancelled),
        },
    }.ToJsonString();

    private static JsonObject Nok(long value) => new() { ["currency"] = "NOK", ["value"] = value };

    [Fact]
    public async Task Every_call_carries_the_subscription_key_the_merchant_serial_number_and_the_system_headers()
    {
        _vipps.On($"GET /epayment/v1/payments/{Reference}", (HttpStatusCode.OK, Payment("CREATED")));

        await Client().GetPaymentAsync(Reference, default);

        Assert.Equal(2, _vipps.Calls.Count); // the token, then the payment
        Assert.All(_vipps.Calls, call =>
        {
            Assert.Equal("sub-key", call.Header("Ocp-Apim-Subscription-Key"));
            Assert.Equal("123456", call.Header("Merchant-Serial-Number"));
            Assert.Equal(Options.SystemName, call.Header("Vipps-System-Name"));
            Assert.Equal(Options.SystemVersion, call.Header("Vipps-System-Version"));
            Assert.Equal(Options.PluginName, call.Header("Vipps-System-Plugin-Name"));
            Assert.Equal(Options.PluginVersion, call.Header("Vipps-System-Plugin-Version"));
        });
        var token = _vipps.Calls[0];
        Assert.Equal(("POST", "/accesstoken/get", "client-id", "client-secret"), (token.Method, token.Path, token.Header("client_id"), token.Header("client_secret")));
        Assert.Equal("Bearer token-1", _vipps.Calls[1].Header("Authorization"));
        Assert.Null(_vipps.Calls[1].Header("client_secret")); // the secret goes to the token endpoint only
    }

    [Fact]
    public async Task The_token_is_cached_until_shortly_before_it_expires()
    {
        _vipps.On($"GET /epayment/v1/payments/{Reference}", (HttpStatusCode.OK, Payment("CREATED")));
        var client = Client();

        await client.GetPaymentAsync(Reference, default);
        await client.GetPaymentAsync(Reference, default);
        _clock.Now += TimeSpan.FromSeconds(3600) - TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1);
        await client.GetPaymentAsync(Reference, default);
        Assert.Equal(1, _vipps.TokensIssued);

        _clock.Now += TimeSpan.FromSeconds(1);
        await client.GetPaymentAsync(Reference, default);
        Assert.Equal(2, _vipps.TokensIssued);
        Assert.Equal("Bearer token-2", _vipps.Calls[^1].Header("Authorization"));
    }

    [Fact]
    public async Task A_refused_token_is_replaced_once_and_a_second_refusal_is_an_error()
    {
        _vipps.On($"GET /epayment/v1/payments/{Reference}",
            (HttpStatusCode.Unauthorized, "{}"), (HttpStatusCode.OK, Payment("CREATED")));
        Assert.NotNull(await Client().GetPaymentAsync(Reference, default));
        Assert.Equal(2, _vipps.TokensIssued);

        var refusing = new ScriptedVipps().On($"GET /epayment/v1/payments/{Reference}", (HttpStatusCode.Unauthorized, "{}"));
        var client = new MobilePayClient(new HttpClient(refusing) { BaseAddress = new Uri("https://apitest.vipps.no/") }, new MobilePayAccessTokens(_clock), Options);
        await Assert.ThrowsAsync<ProviderErrorException>(() => client.GetPaymentAsync(Reference, default));
        Assert.Equal(2, refusing.TokensIssued);
    }

    [Fact]
    public async Task Wrong_credentials_are_a_provider_error_naming_the_settings()
    {
        _vipps.On("POST /accesstoken/get", (HttpStatusCode.Unauthorized, """{"error":"invalid_client","error_description":"AADSTS7000215"}"""));
        var error = await Assert.ThrowsAsync<ProviderErrorException>(() => Client().GetPaymentAsync(Reference, default));
        Assert.Contains("MOBILEPAY_CLIENT_SECRET", error.Message);
    }

    [Fact]
    public async Task A_create_meeting_5xx_is_retried_with_the_same_idempotency_key_and_persistent_5xx_is_unknown_not_failed()
    {
        _vipps.On("POST /epayment/v1/payments", (HttpStatusCode.BadGateway, "{}"));
        var request = new CheckoutRequest("pay_01jd8x0000000000000000000a", Money.Of(49900, "NOK"), "Pro plan",
            new Uri("https://shop.example/payments/thanks?payment_id=pay_01jd8x0000000000000000000a"), new Uri("https://shop.example/cancel"),
            "pay_01jd8x0000000000000000000a-checkout");

        var error = await Assert.ThrowsAsync<ProviderUnavailableException>(() => Provider().CreateCheckoutAsync(request, default));

        Assert.Contains("after 3 attempts", error.Message);
        Assert.All(_vipps.To("POST /epayment/v1/payments"), c => Assert.Equal("pay_01jd8x0000000000000000000a-checkout", c.Header("Idempotency-Key")));
        Assert.Equal(3, _vipps.To("POST /epayment/v1/payments").Count);
    }

    [Fact]
    public async Task Capture_takes_what_remains_authorized_with_the_key_it_was_given()
    {
        _vipps.On($"GET /epayment/v1/payments/{Reference}", (HttpStatusCode.OK, Payment("AUTHORIZED", authorized: 49900)))
            .On($"POST /epayment/v1/payments/{Reference}/capture",
                (HttpStatusCode.OK, Payment("AUTHORIZED", authorized: 49900, captured: 49900).Replace("psp-create", "psp-capture")));

        var captured = await Provider().CaptureAsync(Reference, "pay_01jd8x0000000000000000000a-capture", default);

        Assert.Equal((ProviderPaymentStatus.Succeeded, Money.Of(49900, "NOK"), "psp-capture"), (captured.Status, captured.Amount, captured.ProviderReference));
        var call = Assert.Single(_vipps.To($"POST /epayment/v1/payments/{Reference}/capture"));
        Assert.Equal("pay_01jd8x0000000000000000000a-capture", call.Header("Idempotency-Key"));
        Assert.Equal("""{"modificationAmount":{"currency":"NOK","value":49900}}""", call.Body);
    }

    [Fact]
    public async Task A_payment_captured_already_is_success_without_a_second_capture()
    {
        _vipps.On($"GET /epayment/v1/payments/{Reference}", (HttpStatusCode.OK, Payment("AUTHORIZED", authorized: 49900, captured: 49900)));
        var captured = await Provider().CaptureAsync(Reference, "k", default);
        Assert.Equal(ProviderPaymentStatus.Succeeded, captured.Status);
        Assert.Empty(_vipps.To($"POST /epayment/v1/payments/{Reference}/capture"));
    }

    [Fact]
    public async Task A_payment_not_approved_yet_is_a_conflict_and_an_aborted_one_is_reported_canceled()
    {
        _vipps.On($"GET /epayment/v1/payments/{Reference}", (HttpStatusCode.OK, Payment("CREATED")), (HttpStatusCode.OK, Payment("ABORTED")));
        var provider = Provider();

        var error = await Assert.ThrowsAsync<PaymentsException>(() => provider.CaptureAsync(Reference, "k", default));
        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Equal(ProviderPaymentStatus.Canceled, (await provider.CaptureAsync(Reference, "k", default)).Status);
        Assert.Empty(_vipps.To($"POST /epayment/v1/payments/{Reference}/capture"));
    }

    [Fact]
    public async Task A_refund_Vipps_refuses_with_400_is_a_failed_result_and_5xx_throughout_is_unknown()
    {
        _vipps.On($"POST /epayment/v1/payments/{Reference}/refund",
            (HttpStatusCode.BadRequest, """{"type":"about:blank","title":"Refund amount too high","status":400,"traceId":"t"}"""));
        var refund = new RefundRequest("pay_01jd8x0000000000000000000a", Reference, null, Money.Of(100, "NOK"), "re_01jd8x0000000000000000000a");

        var result = await Provider().RefundAsync(refund, default);

        Assert.Equal((RefundStatus.Failed, (string?)null), (result.Status, result.ProviderRefundId));
        Assert.Contains("Refund amount too high", result.FailureReason);
        Assert.Equal("re_01jd8x0000000000000000000a", _vipps.To($"POST /epayment/v1/payments/{Reference}/refund")[0].Header("Idempotency-Key"));
    }

    [Fact]
    public async Task Cancel_carries_an_idempotency_key_and_reports_the_released_payment()
    {
        _vipps.On($"POST /epayment/v1/payments/{Reference}/cancel", (HttpStatusCode.OK, Payment("TERMINATED")));
        var answer = await Provider().CancelAsync(Reference, "pay_01jd8x0000000000000000000a-cancel", default);
        Assert.Equal(ProviderPaymentStatus.Canceled, answer.Status);
        Assert.Equal("pay_01jd8x0000000000000000000a-cancel", Assert.Single(_vipps.To($"POST /epayment/v1/payments/{Reference}/cancel")).Header("Idempotency-Key"));
    }

    [Fact]
    public async Task Embedded_mode_and_currencies_Vipps_does_not_take_are_refused_before_anything_is_sent()
    {
        var provider = Provider();
        CheckoutRequest Request(Money amount, CheckoutMode mode = CheckoutMode.Hosted) => new("pay_01jd8x0000000000000000000a", amount, "Pro plan",
            new Uri("https://shop.example/thanks"), new Uri("https://shop.example/cancel"), "key", Mode: mode);

        Assert.Equal(ErrorKind.Validation, (await Assert.ThrowsAsync<PaymentsException>(() => provider.CreateCheckoutAsync(Request(Money.Of(1900, "SEK")), default))).Kind);
        Assert.Equal(ErrorKind.Validation, (await Assert.ThrowsAsync<PaymentsException>(() => provider.CreateCheckoutAsync(Request(Money.Of(1900, "NOK"), CheckoutMode.Embedded), default))).Kind);
        Assert.Empty(_vipps.Calls);
    }

    [Theory]
    [InlineData("Pro plan", "Pro plan")]
    [InlineData("", "Payment")]
    [InlineData("Go", "Go.")]
    public void The_description_fits_the_APIs_3_to_100_characters(string ours, string sent) =>
        Assert.Equal(sent, MobilePayProvider.Description(ours));

    [Fact]
    public void A_long_description_is_clipped_to_100_characters_without_halving_a_character() =>
        Assert.Equal(99, MobilePayProvider.Description(new string('a', 99) + "😀" + "tail").Length);
}
