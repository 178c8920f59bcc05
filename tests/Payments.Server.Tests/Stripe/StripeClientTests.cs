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

/// <summary>The adapter's HTTP contract with Stripe: what is retried, with which key, and what errors become.</summary>
public class StripeClientTests(FakeStripeServer server) : IClassFixture<FakeStripeServer>
{
    private const string Sessions = "/v1/checkout/sessions";
    private FakeStripe Stripe => server.Stripe;

    private StripeProvider Provider(Func<StripeOptions, StripeOptions>? tweak = null)
    {
        var options = new StripeOptions
        {
            Enabled = true, SecretKey = Stripe.SecretKey, WebhookSecret = Stripe.WebhookSecret, ApiBase = Stripe.BaseAddress,
            InitialRetryDelay = TimeSpan.FromMilliseconds(5), MaxRetryDelay = TimeSpan.FromMilliseconds(20),
        };
        options = tweak?.Invoke(options) ?? options;
        return new StripeProvider(options, new StripeClient(new NewClients(), options), TimeProvider.System);
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
}

/// <summary>IHttpClientFactory for tests: a new client per call, as the typed-client factory hands them out.</summary>
internal sealed class NewClients : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new() { Timeout = Timeout.InfiniteTimeSpan };
}
