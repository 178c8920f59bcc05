using Payments.Core.Providers;

namespace Payments.Core.Tests.Providers;

public sealed class WebhookProviderTests
{
    private static WebhookRequest Request() =>
        new(new Dictionary<string, string>(), "{}"u8.ToArray(), DateTimeOffset.UnixEpoch, "POST", new Uri("https://shop.example/api/v1/payment/webhook/x?a=1"));

    [Fact]
    public async Task A_delivery_that_fails_verification_is_never_parsed()
    {
        var provider = new Scripted(verified: false);
        var result = await provider.ReceiveAsync(Request(), CancellationToken.None);
        Assert.False(result.Verified);
        Assert.Equal(("hmac-sha256", "bad signature"), (result.Method, result.Failure));
        Assert.Equal(0, provider.Parsed);
    }

    [Fact]
    public async Task A_verified_delivery_is_parsed_with_the_verification_that_accepted_it()
    {
        var provider = new Scripted(verified: true);
        var result = await provider.ReceiveAsync(Request(), CancellationToken.None);
        Assert.True(result.Verified);
        Assert.Equal(("evt_1", "hmac-sha256"), (result.Event!.EventId, result.Method));
        Assert.Equal(1, provider.Parsed);
    }

    [Fact]
    public async Task A_verified_delivery_the_parser_refuses_is_malformed_not_unverified()
    {
        var provider = new Scripted(verified: true, parses: false);
        var result = await provider.ReceiveAsync(Request(), CancellationToken.None);
        Assert.Equal((true, true, "not an event"), (result.Verified, result.Malformed, result.Failure));
        Assert.Null(result.Event);
    }

    [Fact]
    public void An_event_concerns_a_payment_unless_the_provider_names_another_record()
    {
        Assert.Equal(WebhookRecordType.Payment, new ProviderEvent("e", "t", ProviderEventKind.Informational).RecordType);
        Assert.Equal(WebhookRecordType.Subscription,
            new ProviderEvent("e", "t", ProviderEventKind.Informational) { RecordType = WebhookRecordType.Subscription }.RecordType);
    }

    private sealed class Scripted(bool verified, bool parses = true) : IWebhookProvider
    {
        public int Parsed { get; private set; }

        public ProviderDescriptor Descriptor { get; } = new() { Name = "x", DisplayName = "X", OwnsPaymentId = _ => false };

        public Task<WebhookVerification> VerifyAsync(WebhookRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(verified ? WebhookVerification.Accepted("hmac-sha256") : WebhookVerification.Rejected("hmac-sha256", "bad signature"));

        public Task<WebhookResult> ParseAsync(WebhookRequest request, WebhookVerification verification, CancellationToken cancellationToken)
        {
            Parsed++;
            if (!parses) return Task.FromResult(WebhookResult.Rejected(verification.Method, "not an event"));
            return Task.FromResult(WebhookResult.Accepted(new ProviderEvent("evt_1", "t", ProviderEventKind.Informational), verification.Method));
        }
    }
}
