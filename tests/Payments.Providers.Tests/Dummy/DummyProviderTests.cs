using System.Text;
using Payments.Core.Providers;
using Payments.Providers.Common;
using Payments.Providers.Dummy;
using Payments.Providers.Tests.Support;
using M = Payments.Core.Money.Money;

namespace Payments.Providers.Tests.Dummy;

public class DummyProviderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private readonly FixedClock _clock = new(Now);
    private readonly DummyProvider _dummy;

    public DummyProviderTests() => _dummy = new DummyProvider(new DummyOptions(), new InMemoryDummyCheckoutStore(), _clock);

    private static CheckoutRequest Checkout(string key = "pay_1-checkout") => new(
        "pay_1", M.Of(1900, "EUR"), "Basic plan",
        new Uri("http://127.0.0.1:5080/payments/thanks?payment_id=pay_1"), new Uri("http://127.0.0.1:5080/payments/cancel?payment_id=pay_1"), key);

    private static WebhookRequest Delivery(byte[] body, string? header, DateTimeOffset at) =>
        new(header is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["dummy-signature"] = header }, body, at);

    [Fact]
    public async Task Checkout_is_idempotent_and_points_at_the_simulate_page()
    {
        var first = await _dummy.CreateCheckoutAsync(Checkout(), default);
        var again = await _dummy.CreateCheckoutAsync(Checkout(), default);
        Assert.Equal(first.ProviderPaymentId, again.ProviderPaymentId);
        Assert.StartsWith("dm_", first.ProviderPaymentId);
        Assert.Equal($"http://127.0.0.1:5080/payments/simulate/{first.ProviderPaymentId}", first.RedirectUrl!.ToString());
        Assert.True(_dummy.Descriptor.OwnsPaymentId(first.ProviderPaymentId));
        Assert.False(_dummy.Descriptor.OwnsPaymentId("cs_test_123"));
    }

    [Fact]
    public async Task The_simulate_page_finds_the_checkout_with_where_the_customer_goes_next()
    {
        var checkout = await _dummy.CreateCheckoutAsync(Checkout(), default);

        var found = await _dummy.FindAsync(checkout.ProviderPaymentId, default);

        Assert.Equal("http://127.0.0.1:5080/payments/thanks?payment_id=pay_1", found!.SuccessUrl.ToString());
        Assert.Equal((ProviderPaymentStatus.Pending, M.Of(1900, "EUR")), (found.Status, found.Amount));
        Assert.Null(await _dummy.FindAsync("dm_never_made", default));
        Assert.Equal(ProviderPaymentStatus.Unknown, (await _dummy.GetPaymentAsync("dm_never_made", default)).Status);
    }

    [Fact]
    public async Task A_simulated_payment_produces_a_signed_event_the_provider_accepts()
    {
        var checkout = await _dummy.CreateCheckoutAsync(Checkout(), default);
        var delivery = (await _dummy.SimulateAsync(checkout.ProviderPaymentId, ProviderPaymentStatus.Succeeded, default))!;

        var result = await _dummy.ReceiveAsync(Delivery(delivery.Body, delivery.SignatureHeader, Now), default);

        Assert.True(result.Verified);
        Assert.Equal(ProviderEventKind.PaymentSucceeded, result.Event!.Kind);
        Assert.Equal(M.Of(1900, "EUR"), result.Event.Amount);
        Assert.Equal(checkout.ProviderPaymentId, result.Event.ProviderPaymentId);
        Assert.Equal("payment.succeeded", result.Event.EventType);
        var status = await _dummy.GetPaymentAsync(checkout.ProviderPaymentId, default);
        Assert.Equal(ProviderPaymentStatus.Succeeded, status.Status);
    }

    [Fact]
    public async Task A_settled_checkout_cannot_be_settled_again_differently()
    {
        var checkout = await _dummy.CreateCheckoutAsync(Checkout(), default);
        await _dummy.SimulateAsync(checkout.ProviderPaymentId, ProviderPaymentStatus.Succeeded, default);
        var second = (await _dummy.SimulateAsync(checkout.ProviderPaymentId, ProviderPaymentStatus.Canceled, default))!;
        Assert.Contains("payment.succeeded", Encoding.UTF8.GetString(second.Body));
    }

    [Fact]
    public async Task Wire_format_is_the_documented_one()
    {
        var body = "{\"id\":\"evt_x\",\"type\":\"payment.failed\",\"payment_id\":\"dm_abc\",\"amount\":1900,\"currency\":\"EUR\"}"u8.ToArray();
        var t = Now.ToUnixTimeSeconds();
        var mac = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(DummyOptions.DevelopmentSecret), Encoding.UTF8.GetBytes($"{t}.").Concat(body).ToArray()));

        var result = await _dummy.ReceiveAsync(Delivery(body, $"t={t},v1={mac}", Now), default);

        Assert.True(result.Verified, result.Failure);
        Assert.Equal((ProviderEventKind.PaymentFailed, "evt_x", "dm_abc"), (result.Event!.Kind, result.Event.EventId, result.Event.ProviderPaymentId));
    }

    [Theory]
    [InlineData("eur")]
    [InlineData("Eur")]
    [InlineData("EURO")]
    public async Task A_currency_that_is_not_an_upper_case_ISO_4217_code_is_malformed(string currency)
    {
        var body = Encoding.UTF8.GetBytes($"{{\"id\":\"evt_c\",\"type\":\"payment.succeeded\",\"payment_id\":\"dm_abc\",\"amount\":1900,\"currency\":\"{currency}\"}}");
        var result = await _dummy.ReceiveAsync(Delivery(body, Sign(body), Now), default);
        Assert.True(result.Malformed, result.Failure);
    }

    [Fact]
    public async Task Bad_signatures_old_timestamps_and_malformed_bodies_are_rejected()
    {
        var body = "{\"id\":\"evt_x\",\"type\":\"payment.succeeded\",\"payment_id\":\"dm_abc\",\"amount\":1900,\"currency\":\"EUR\"}"u8.ToArray();
        var old = TimestampedHmacSignature.Header(DummyOptions.DevelopmentSecret, Now.ToUnixTimeSeconds() - 301, body);
        var wrongKey = TimestampedHmacSignature.Header("other", Now.ToUnixTimeSeconds(), body);
        var noAmount = "{\"id\":\"evt_x\",\"type\":\"payment.succeeded\",\"payment_id\":\"dm_abc\"}"u8.ToArray();
        var garbage = "not json"u8.ToArray();

        Assert.False((await _dummy.ReceiveAsync(Delivery(body, old, Now), default)).Verified);
        Assert.False((await _dummy.ReceiveAsync(Delivery(body, wrongKey, Now), default)).Verified);
        Assert.False((await _dummy.ReceiveAsync(Delivery(body, null, Now), default)).Verified);
        // Signed but not an event: verified, and malformed (the intake answers malformed_event, not signature_invalid).
        Assert.True((await _dummy.ReceiveAsync(Delivery(noAmount, Sign(noAmount), Now), default)).Malformed);
        Assert.True((await _dummy.ReceiveAsync(Delivery(garbage, Sign(garbage), Now), default)).Malformed);
    }

    [Fact]
    public async Task Refunds_are_idempotent_and_never_exceed_the_paid_amount()
    {
        var checkout = await _dummy.CreateCheckoutAsync(Checkout(), default);
        await _dummy.SimulateAsync(checkout.ProviderPaymentId, ProviderPaymentStatus.Succeeded, default);
        RefundRequest Refund(long minor, string key) => new("pay_1", checkout.ProviderPaymentId, null, M.Of(minor, "EUR"), key);

        Assert.Equal(RefundStatus.Succeeded, (await _dummy.RefundAsync(Refund(1000, "r1"), default)).Status);
        Assert.Equal(RefundStatus.Succeeded, (await _dummy.RefundAsync(Refund(1000, "r1"), default)).Status);
        Assert.Equal(RefundStatus.Failed, (await _dummy.RefundAsync(Refund(1000, "r2"), default)).Status);
        Assert.Equal(RefundStatus.Succeeded, (await _dummy.RefundAsync(Refund(900, "r3"), default)).Status);
        Assert.Equal(M.Of(1900, "EUR"), (await _dummy.GetPaymentAsync(checkout.ProviderPaymentId, default)).RefundedTotal);
    }

    private static string Sign(byte[] body) =>
        TimestampedHmacSignature.Header(DummyOptions.DevelopmentSecret, Now.ToUnixTimeSeconds(), body);
}
