using System.Security.Cryptography;
using System.Text;
using Payments.Core.Providers;
using Payments.Providers.Stripe;
using Payments.Providers.Tests.Support;
using M = Payments.Core.Money.Money;

namespace Payments.Providers.Tests.Stripe;

/// <summary>Recorded-shape Stripe events through the adapter's webhook intake, with an injected clock.</summary>
public class StripeWebhookTests
{
    private const string Secret = "whsec_unit_test";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly StripeProvider Provider = new(
        new StripeOptions { Enabled = true, SecretKey = "sk_test_x", WebhookSecret = Secret },
        new NoHttp(), new FixedClock(Now));

    private static Task<WebhookResult> Receive(string json, DateTimeOffset? signedAt = null, DateTimeOffset? receivedAt = null, string secret = Secret)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var t = (signedAt ?? Now).ToUnixTimeSeconds();
        var mac = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.").Concat(body).ToArray()));
        var headers = new Dictionary<string, string> { ["stripe-signature"] = $"t={t},v1={mac}" };
        return Provider.ReceiveAsync(new WebhookRequest(headers, body, receivedAt ?? Now), default);
    }

    private static string Event(string type, string dataObject) =>
        $$"""{"id":"evt_1","object":"event","api_version":"2026-10-28.endive","created":1772366400,"data":{"object":{{dataObject}}},"livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"{{type}}"}""";

    private const string PaidSession =
        """{"id":"cs_test_a1","object":"checkout.session","amount_total":1900,"currency":"eur","client_reference_id":"pay_1","metadata":{"payment_id":"pay_1","plan":"basic"},"mode":"payment","payment_intent":"pi_1","payment_status":"paid","status":"complete"}""";

    [Fact]
    public async Task A_paid_checkout_session_is_a_success_with_its_exact_amount_and_all_three_references()
    {
        var result = await Receive(Event("checkout.session.completed", PaidSession));
        Assert.True(result.Verified, result.Failure);
        var e = result.Event!;
        Assert.Equal((ProviderEventKind.PaymentSucceeded, "evt_1", "checkout.session.completed"), (e.Kind, e.EventId, e.EventType));
        Assert.Equal(("cs_test_a1", "pay_1", "pi_1"), (e.ProviderPaymentId, e.PaymentId, e.ProviderReference));
        Assert.Equal(M.Of(1900, "EUR"), e.Amount);
    }

    [Fact]
    public async Task A_zero_decimal_amount_is_read_in_whole_units()
    {
        var result = await Receive(Event("checkout.session.completed", PaidSession.Replace("\"eur\"", "\"jpy\"")));
        Assert.Equal(M.Of(1900, "JPY"), result.Event!.Amount);
    }

    [Fact]
    public async Task A_completed_but_unpaid_session_is_pending()
    {
        var result = await Receive(Event("checkout.session.completed", PaidSession.Replace("\"paid\"", "\"unpaid\"")));
        Assert.Equal((ProviderEventKind.PaymentPending, null), (result.Event!.Kind, result.Event.Amount));
    }

    [Fact]
    public async Task A_failed_intent_carries_the_decline_as_the_reason()
    {
        var result = await Receive(Event("payment_intent.payment_failed",
            """{"id":"pi_1","object":"payment_intent","amount":1900,"amount_received":0,"currency":"eur","metadata":{"payment_id":"pay_1"},"status":"requires_payment_method","last_payment_error":{"code":"card_declined","decline_code":"insufficient_funds","message":"Your card has insufficient funds.","type":"card_error"}}"""));
        var e = result.Event!;
        Assert.Equal((ProviderEventKind.PaymentFailed, "pi_1", "pay_1"), (e.Kind, e.ProviderPaymentId, e.PaymentId));
        Assert.Equal("insufficient_funds: Your card has insufficient funds.", e.FailureReason);
    }

    [Fact]
    public async Task A_succeeded_intent_reports_what_was_received()
    {
        var result = await Receive(Event("payment_intent.succeeded",
            """{"id":"pi_1","object":"payment_intent","amount":1900,"amount_received":1850,"currency":"eur","metadata":{},"status":"succeeded","latest_charge":"ch_1"}"""));
        Assert.Equal((M.Of(1850, "EUR"), null), (result.Event!.Amount, result.Event.PaymentId));
    }

    [Fact]
    public async Task A_refunded_charge_reports_the_cumulative_total_and_what_the_charge_took()
    {
        var result = await Receive(Event("charge.refunded",
            """{"id":"ch_1","object":"charge","amount":1900,"amount_captured":1900,"amount_refunded":500,"currency":"eur","metadata":{"payment_id":"pay_1"},"payment_intent":"pi_1","refunded":false,"status":"succeeded"}"""));
        var e = result.Event!;
        Assert.Equal((ProviderEventKind.Refunded, "pi_1", "pi_1", "pay_1"), (e.Kind, e.ProviderPaymentId, e.ProviderReference, e.PaymentId));
        Assert.Equal((M.Of(500, "EUR"), M.Of(1900, "EUR")), (e.RefundedTotal, e.Amount));
    }

    [Fact]
    public async Task Other_types_are_informational_and_still_name_their_payment_when_they_can()
    {
        var result = await Receive(Event("payment_intent.created", """{"id":"pi_9","object":"payment_intent","metadata":{"payment_id":"pay_9"}}"""));
        Assert.Equal((ProviderEventKind.Informational, "pi_9", "pay_9"), (result.Event!.Kind, result.Event.ProviderPaymentId, result.Event.PaymentId));
    }

    [Theory]
    [InlineData("EUR")]
    [InlineData("Eur")]
    [InlineData("euro")]
    public async Task A_currency_Stripe_would_not_write_is_malformed_not_guessed(string currency)
    {
        // Stripe writes ISO 4217 codes in lower case; its mapper converts "eur" explicitly and nothing else.
        var session = PaidSession.Replace("\"currency\":\"eur\"", $"\"currency\":\"{currency}\"", StringComparison.Ordinal);
        Assert.NotEqual(PaidSession, session);
        var result = await Receive(Event("checkout.session.completed", session));
        Assert.True(result.Malformed, result.Failure);
    }

    [Theory]
    [InlineData(300, true)]
    [InlineData(301, false)]
    [InlineData(-300, true)]
    [InlineData(-301, false)] // signed further in the future than the tolerance
    public async Task The_300_second_tolerance_is_measured_against_the_injected_clock(int ageSeconds, bool verified)
    {
        var result = await Receive(Event("checkout.session.completed", PaidSession), signedAt: Now.AddSeconds(-ageSeconds));
        Assert.Equal(verified, result.Verified);
        // The same delivery checked at signing time is fine: the clock, not the wall, decides.
        Assert.True((await Receive(Event("checkout.session.completed", PaidSession), Now.AddSeconds(-ageSeconds), Now.AddSeconds(-ageSeconds))).Verified);
    }

    [Theory]
    [InlineData("""{"id":"evt_1","object":"event","type":"checkout.session.completed"}""")]
    [InlineData("""{"object":"event","type":"x","data":{"object":{}}}""")]
    [InlineData("not json")]
    [InlineData("""{"id":"evt_1","type":"charge.refunded","data":{"object":{"id":"ch_1","amount":"lots"}}}""")]
    public async Task Signed_bodies_that_are_not_Stripe_events_are_malformed_not_forged(string json)
    {
        var result = await Receive(json);
        Assert.True((result.Verified, result.Malformed) == (true, true), result.Failure);
        Assert.Null(result.Event);
    }

    [Fact]
    public async Task Another_endpoints_secret_is_rejected() =>
        Assert.False((await Receive(Event("checkout.session.completed", PaidSession), secret: "whsec_other")).Verified);

    private sealed class NoHttp : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("Webhook parsing must not call Stripe.");
    }
}
