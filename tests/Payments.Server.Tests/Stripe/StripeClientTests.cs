using Payments.Core.Money;
using Payments.Core.Providers;
using Payments.Providers.Stripe;
using Payments.Server.Tests.Fakes.Stripe;

namespace Payments.Server.Tests.Stripe;

/// <summary>A fake Stripe on its own, for the adapter's HTTP behaviour without a service or database.</summary>
public sealed class FakeStripeServer : IAsyncDisposable
{
    public FakeStripe Stripe { get; } = FakeStripe.Start(() => throw new InvalidOperationException("No service behind this fake."));
    public ValueTask DisposeAsync() => Stripe.DisposeAsync();
}

/// <summary>
/// The adapter's HTTP contract with Stripe, now kept by Stripe.net: what is retried (the SDK's own
/// backoff, 0.5 s and up), with which key, and what errors become.
/// </summary>
public class StripeClientTests(FakeStripeServer server) : IClassFixture<FakeStripeServer>
{
    private const string Sessions = "/v1/checkout/sessions";
    private FakeStripe Stripe => server.Stripe;

    private StripeProvider Provider(Func<StripeOptions, StripeOptions>? tweak = null)
    {
        var options = new StripeOptions
        {
            Enabled = true, SecretKey = Stripe.SecretKey, WebhookSecret = Stripe.WebhookSecret, ApiBase = Stripe.BaseAddress,
        };
        options = tweak?.Invoke(options) ?? options;
        return new StripeProvider(options, new NewClients(), TimeProvider.System);
    }

    private static CheckoutRequest Checkout(Money amount, CheckoutMode mode = CheckoutMode.Hosted)
    {
        var id = "pay_" + Guid.NewGuid().ToString("N");
        return new CheckoutRequest(id, amount, "Basic plan", new Uri($"http://127.0.0.1/payments/thanks?payment_id={id}"),
            new Uri("http://127.0.0.1/payments/cancel"), $"{id}-checkout", DateTimeOffset.UtcNow.AddHours(1), mode);
    }

    private List<RecordedRequest> Sent(CheckoutRequest request) =>
        Stripe.Requests.Where(r => r["client_reference_id"] == request.PaymentId || r["metadata[payment_id]"] == request.PaymentId).ToList();

    [Fact]
    public async Task Transient_5xx_and_409_are_retried_with_the_same_key_and_body()
    {
        var request = Checkout(Money.Of(1900, "EUR"));
        Stripe.Fail(Sessions, 1, 500);
        Stripe.Fail(Sessions, 1, 409);

        var result = await Provider().CreateCheckoutAsync(request, default);

        Assert.StartsWith("cs_test_", result.ProviderPaymentId);
        var sent = Sent(request);
        Assert.Equal(3, sent.Count);
        Assert.All(sent, r => Assert.Equal((request.IdempotencyKey, sent[0].Body), (r.Header("Idempotency-Key"), r.Body)));
        Assert.Equal(1, Stripe.SessionsFor(request.PaymentId));
    }

    [Fact]
    public async Task A_lost_answer_is_retried_and_Stripe_replays_the_session_it_already_made()
    {
        var request = Checkout(Money.Of(1900, "EUR"));
        Stripe.Drop(Sessions, 1, afterProcessing: true);

        var result = await Provider().CreateCheckoutAsync(request, default);

        Assert.Equal(2, Sent(request).Count);
        Assert.Equal(1, Stripe.SessionsFor(request.PaymentId));
        Assert.NotNull(result.RedirectUrl);
    }

    [Fact]
    public async Task A_slow_answer_times_out_and_is_retried()
    {
        var request = Checkout(Money.Of(1900, "EUR"));
        Stripe.Delay(Sessions, 1, TimeSpan.FromSeconds(3));

        // The timeout also bounds the retry's own round trip: 1 s leaves room on a loaded 2-core machine.
        var result = await Provider(o => o with { RequestTimeout = TimeSpan.FromSeconds(1) }).CreateCheckoutAsync(request, default);

        Assert.StartsWith("cs_test_", result.ProviderPaymentId);
        Assert.Equal(2, Sent(request).Count);
    }

    [Fact]
    public async Task Network_errors_use_up_the_retries_and_then_the_outcome_is_unknown()
    {
        var request = Checkout(Money.Of(1900, "EUR"));
        Stripe.Drop(Sessions, 3, afterProcessing: false);

        await Assert.ThrowsAsync<ProviderUnavailableException>(() => Provider().CreateCheckoutAsync(request, default));
        Assert.Equal(3, Sent(request).Count); // the first attempt and MaxNetworkRetries (2)
    }

    [Fact]
    public async Task Stripe_Should_Retry_false_stops_retries_of_a_5xx()
    {
        var request = Checkout(Money.Of(1900, "EUR"));
        Stripe.Fail(Sessions, 1, 503, shouldRetry: false);

        await Assert.ThrowsAsync<ProviderUnavailableException>(() => Provider().CreateCheckoutAsync(request, default));
        Assert.Single(Sent(request));
    }

    [Fact]
    public async Task Stripe_Should_Retry_true_is_honoured_even_for_a_429()
    {
        var request = Checkout(Money.Of(1900, "EUR"));
        Stripe.Fail(Sessions, 1, 429, shouldRetry: true, type: "invalid_request_error", code: "lock_timeout");

        await Provider().CreateCheckoutAsync(request, default);
        Assert.Equal(2, Sent(request).Count);
    }

    [Fact]
    public async Task A_plain_429_is_not_retried_and_reports_the_provider_unavailable()
    {
        var request = Checkout(Money.Of(1900, "EUR"));
        Stripe.Fail(Sessions, 1, 429, type: "invalid_request_error", code: "rate_limit");

        var error = await Assert.ThrowsAsync<ProviderUnavailableException>(() => Provider().CreateCheckoutAsync(request, default));
        Assert.Contains("429", error.Message);
        Assert.Single(Sent(request));
    }

    [Fact]
    public async Task Client_errors_are_not_retried_and_carry_Stripes_code()
    {
        var request = Checkout(Money.Of(1900, "EUR"));
        Stripe.Fail(Sessions, 1, 400, type: "invalid_request_error", code: "parameter_missing");

        var error = await Assert.ThrowsAsync<ProviderErrorException>(() => Provider().CreateCheckoutAsync(request, default));
        Assert.Equal("parameter_missing", error.ProviderCode);
        Assert.Single(Sent(request));
    }

    [Fact]
    public async Task A_wrong_secret_key_is_a_provider_error_naming_the_cause()
    {
        var error = await Assert.ThrowsAsync<ProviderErrorException>(() =>
            Provider(o => o with { SecretKey = "sk_test_wrong" }).CreateCheckoutAsync(Checkout(Money.Of(1900, "EUR")), default));
        Assert.Contains("Invalid API Key", error.Message);
    }

    [Fact]
    public async Task A_card_declined_while_creating_an_intent_is_a_result_not_an_exception()
    {
        Stripe.DeclineNextIntent("insufficient_funds");

        var result = await Provider().CreateCheckoutAsync(Checkout(Money.Of(1900, "EUR"), CheckoutMode.Embedded), default);

        Assert.Equal((ProviderPaymentStatus.Declined, "insufficient_funds"), (result.Status, result.FailureCode));
        Assert.StartsWith("pi_", result.ProviderPaymentId);
        Assert.Contains("insufficient funds", result.FailureMessage);
    }

    [Theory]
    [InlineData(1250, "KWD", "1250")] // three-decimal, last digit 0
    [InlineData(5, "ISK", "500")]     // zero-decimal in ISO, two-decimal in Stripe's API
    [InlineData(10000, "MGA", "100")] // two-decimal in ISO, zero-decimal at Stripe
    [InlineData(1900, "JPY", "1900")]
    public async Task Amounts_go_out_in_Stripes_unit_for_the_currency(long minor, string currency, string expected)
    {
        var request = Checkout(Money.Of(minor, currency));
        await Provider().CreateCheckoutAsync(request, default);
        Assert.Equal(expected, Sent(request).Single()["line_items[0][price_data][unit_amount]"]);
    }

    [Theory]
    [InlineData(1255, "KWD")]  // Stripe would need 1.260 or 1.250
    [InlineData(10050, "MGA")] // 100.50 ariary; Stripe charges whole ariary
    [InlineData(10000, "CLF")] // four decimals: no Stripe unit we can be sure of
    public async Task Amounts_Stripe_cannot_take_exactly_are_refused_before_calling_it(long minor, string currency)
    {
        var request = Checkout(Money.Of(minor, currency));
        var error = await Assert.ThrowsAsync<ProviderErrorException>(() => Provider().CreateCheckoutAsync(request, default));
        Assert.Contains(currency, error.Message);
        Assert.Empty(Sent(request));
    }

    [Theory]
    [InlineData("cs_test_doesnotexist")]
    [InlineData("pi_doesnotexist")]
    [InlineData("dm_not_ours")]
    public async Task An_id_Stripe_does_not_know_is_unknown_and_changes_nothing(string id)
    {
        var answer = await Provider().GetPaymentAsync(id, default);
        Assert.Equal((ProviderPaymentStatus.Unknown, null), (answer.Status, answer.Amount));
    }

    [Fact]
    public async Task Every_call_goes_out_through_Stripe_net_and_passes_the_fakes_checks()
    {
        var hosted = Checkout(Money.Of(1900, "EUR")) with { CustomerEmail = "buyer@example.com", Metadata = new Dictionary<string, string> { ["plan"] = "basic" } };
        var embedded = Checkout(Money.Of(1900, "JPY"), CheckoutMode.Embedded) with { CustomerEmail = "buyer@example.com" };
        var provider = Provider();

        var session = await provider.CreateCheckoutAsync(hosted, default);
        Stripe.Pay(session.ProviderPaymentId);
        var paid = await provider.GetPaymentAsync(session.ProviderPaymentId, default);
        var intent = await provider.CreateCheckoutAsync(embedded, default);
        Stripe.Confirm(intent.ProviderPaymentId);
        var confirmed = await provider.GetPaymentAsync(intent.ProviderPaymentId, default);
        var refund = await provider.RefundAsync(new RefundRequest(hosted.PaymentId, session.ProviderPaymentId, paid.ProviderReference,
            Money.Of(500, "EUR"), $"{hosted.PaymentId}-refund-1", "requested_by_customer"), default);

        Assert.Equal((ProviderPaymentStatus.Succeeded, ProviderPaymentStatus.Succeeded, RefundStatus.Succeeded),
            (paid.Status, confirmed.Status, refund.Status));
        Assert.Equal(Money.Of(1900, "EUR"), paid.Amount);
        Assert.Equal(Money.Of(0, "EUR"), paid.RefundedTotal); // expanded payment_intent.latest_charge, read before the refund
        var sent = Sent(hosted).Concat(Sent(embedded)).ToList();
        Assert.Equal(["POST /v1/checkout/sessions", "POST /v1/payment_intents", "POST /v1/refunds"],
            sent.Where(r => r.Method == "POST").Select(r => $"{r.Method} {r.Path}").Order());
        var all = Stripe.Requests.Where(r => r.Path.Contains(session.ProviderPaymentId) || r.Path.Contains(intent.ProviderPaymentId)).Concat(sent).ToList();
        Assert.All(all, r => Assert.StartsWith(FakeStripe.SdkUserAgent, r.Header("User-Agent"), StringComparison.OrdinalIgnoreCase));
        Assert.All(all, r => Assert.Equal(FakeStripe.ApiVersion, r.Header("Stripe-Version")));
        Assert.Contains(all, r => r.Method == "GET" && r.Query.Contains("expand", StringComparison.Ordinal));
        Assert.Empty(Stripe.Violations);
    }

    [Theory]
    [InlineData("no-user-agent")]
    [InlineData("other-user-agent")]
    [InlineData("wrong-version")]
    [InlineData("no-idempotency-key")]
    [InlineData("unknown-parameter")]
    [InlineData("body-on-get")]
    public async Task The_fake_refuses_what_Stripe_net_would_never_send(string mistake)
    {
        await using var server = new FakeStripeServer();
        var fake = server.Stripe;
        using var http = new HttpClient { BaseAddress = fake.BaseAddress };
        var get = mistake == "body-on-get";
        using var request = new HttpRequestMessage(get ? HttpMethod.Get : HttpMethod.Post, get ? "v1/payment_intents/pi_1" : "v1/payment_intents")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["amount"] = "1900", ["currency"] = "eur", [mistake == "unknown-parameter" ? "amount_typo" : "description"] = "x",
            }),
        };
        request.Headers.Authorization = new("Bearer", fake.SecretKey);
        if (mistake != "no-user-agent")
            request.Headers.TryAddWithoutValidation("User-Agent", mistake == "other-user-agent" ? "Payments/1.0" : FakeStripe.SdkUserAgent);
        request.Headers.TryAddWithoutValidation("Stripe-Version", mistake == "wrong-version" ? "2025-02-24.acacia" : FakeStripe.ApiVersion);
        if (mistake != "no-idempotency-key") request.Headers.TryAddWithoutValidation("Idempotency-Key", Guid.NewGuid().ToString());

        using var response = await http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(fake.Violations);
    }
}

/// <summary>IHttpClientFactory for tests: a new client per call, as the typed-client factory hands them out.</summary>
internal sealed class NewClients : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new() { Timeout = Timeout.InfiniteTimeSpan };
}
