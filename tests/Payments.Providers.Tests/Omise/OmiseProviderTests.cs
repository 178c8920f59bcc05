using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Payments.Core.Money;
using Payments.Core.Providers;
using Payments.Providers.Omise;
using Payments.Providers.Tests.Support;

namespace Payments.Providers.Tests.Omise;

/// <summary>What the adapter puts on Omise's wire and how it reads the answers, against a scripted HttpMessageHandler.</summary>
public class OmiseProviderTests
{
    private sealed class Script : HttpMessageHandler
    {
        public List<(HttpRequestMessage Request, string Body)> Seen { get; } = [];
        public Func<HttpRequestMessage, string, (HttpStatusCode, string)> Answer { get; set; } = (_, _) => (HttpStatusCode.OK, "{}");

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(ct);
            Seen.Add((request, body));
            var (status, json) = Answer(request, body);
            return new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        }
    }

    private static readonly FixedClock Clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static (OmiseProvider, Script) Provider(string sourceType = "promptpay")
    {
        var options = new OmiseOptions { Enabled = true, SecretKey = "skey_test_abc", SourceType = sourceType, RetryDelay = TimeSpan.FromMilliseconds(1) };
        var script = new Script();
        var client = new OmiseClient(new HttpClient(script) { BaseAddress = new Uri("https://api.omise.test/") }, options);
        return (new OmiseProvider(options, client, new OmiseWebhookEvents(client), Clock), script);
    }

    private static string ChargeJson(string id = "chrg_test_1", long amount = 190000, string currency = "thb", string status = "pending",
        bool paid = false, long refunded = 0, string? authorize = "https://pay.omise.test/offsites/ofsp_1/pay") =>
        new JsonObject
        {
            ["object"] = "charge", ["id"] = id, ["amount"] = amount, ["currency"] = currency, ["status"] = status, ["paid"] = paid,
            ["refunded_amount"] = refunded, ["authorize_uri"] = authorize, ["metadata"] = new JsonObject { ["payment_id"] = "pay_1" },
        }.ToJsonString();

    private static CheckoutRequest Checkout(string money) => new(
        "pay_1", Money.Parse(money), "Basic plan", new Uri("https://shop.test/payments/thanks?payment_id=pay_1"),
        new Uri("https://shop.test/payments/cancel?payment_id=pay_1"), "pay_1-checkout",
        Metadata: new Dictionary<string, string> { ["payment_id"] = "pay_1", ["plan"] = "basic" });

    [Fact]
    public async Task A_checkout_is_one_JSON_charge_with_Basic_auth_the_pinned_version_and_our_id_in_metadata()
    {
        var (provider, script) = Provider();
        script.Answer = (_, _) => (HttpStatusCode.OK, ChargeJson());

        var result = await provider.CreateCheckoutAsync(Checkout("1900.00 THB"), default);

        Assert.Equal(("chrg_test_1", "https://pay.omise.test/offsites/ofsp_1/pay"), (result.ProviderPaymentId, result.RedirectUrl!.AbsoluteUri));
        var (request, body) = Assert.Single(script.Seen);
        Assert.Equal((HttpMethod.Post, "/charges"), (request.Method, request.RequestUri!.AbsolutePath));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("skey_test_abc:")), request.Headers.Authorization!.ToString());
        Assert.Equal(["2019-05-29"], request.Headers.GetValues("Omise-Version"));
        Assert.Equal(["pay_1-checkout"], request.Headers.GetValues("Idempotency-Key"));
        Assert.Equal("application/json", request.Content!.Headers.ContentType!.MediaType);
        var json = JsonNode.Parse(body)!;
        Assert.Equal((190000L, "thb", "promptpay", "pay_1", "basic", "https://shop.test/payments/thanks?payment_id=pay_1"),
            ((long)json["amount"]!, (string)json["currency"]!, (string)json["source"]!["type"]!, (string)json["metadata"]!["payment_id"]!,
                (string)json["metadata"]!["plan"]!, (string)json["return_uri"]!));
    }

    [Fact]
    public async Task Yen_go_out_as_whole_yen()
    {
        var (provider, script) = Provider("pay_easy");
        script.Answer = (_, _) => (HttpStatusCode.OK, ChargeJson(amount: 1900, currency: "jpy"));
        await provider.CreateCheckoutAsync(Checkout("1900 JPY"), default);
        var json = JsonNode.Parse(script.Seen[0].Body)!;
        Assert.Equal((1900L, "jpy", "pay_easy"), ((long)json["amount"]!, (string)json["currency"]!, (string)json["source"]!["type"]!));
    }

    [Fact]
    public async Task PromptPay_in_another_currency_is_refused_before_anything_is_sent()
    {
        var (provider, script) = Provider();
        var error = await Assert.ThrowsAsync<Core.Errors.PaymentsException>(() => provider.CreateCheckoutAsync(Checkout("19.00 EUR"), default));
        Assert.Equal(Core.Errors.ErrorKind.Validation, error.Kind);
        Assert.Empty(script.Seen);
    }

    [Fact]
    public async Task A_charge_create_whose_answer_is_lost_is_not_sent_again_and_its_outcome_is_unknown()
    {
        var (provider, script) = Provider();
        script.Answer = (_, _) => (HttpStatusCode.BadGateway, "{\"object\":\"error\",\"code\":\"bad_gateway\",\"message\":\"upstream\"}");
        await Assert.ThrowsAsync<ProviderUnavailableException>(() => provider.CreateCheckoutAsync(Checkout("1900.00 THB"), default));
        Assert.Single(script.Seen);
    }

    [Fact]
    public async Task Reads_are_retried_and_a_wrong_key_is_a_provider_error_not_a_retry()
    {
        var (provider, script) = Provider();
        var calls = 0;
        script.Answer = (_, _) => ++calls < 3 ? (HttpStatusCode.ServiceUnavailable, "") : (HttpStatusCode.OK, ChargeJson(status: "successful", paid: true));
        Assert.Equal(ProviderPaymentStatus.Succeeded, (await provider.GetPaymentAsync("chrg_test_1", default)).Status);
        Assert.Equal(3, script.Seen.Count);

        script.Answer = (_, _) => (HttpStatusCode.Unauthorized, "{\"object\":\"error\",\"code\":\"authentication_failure\",\"message\":\"authentication failed\"}");
        var error = await Assert.ThrowsAsync<ProviderErrorException>(() => provider.GetPaymentAsync("chrg_test_1", default));
        Assert.Equal("authentication_failure", error.ProviderCode);
        Assert.Equal(4, script.Seen.Count);
    }

    [Fact]
    public async Task A_refund_whose_id_is_already_in_a_refunds_metadata_is_not_made_again()
    {
        var (provider, script) = Provider();
        script.Answer = (request, _) => (HttpStatusCode.OK, new JsonObject
        {
            ["object"] = "list", ["total"] = 1,
            ["data"] = new JsonArray(new JsonObject
            {
                ["object"] = "refund", ["id"] = "rfnd_test_1", ["amount"] = 50000, ["currency"] = "thb", ["status"] = "closed", ["charge"] = "chrg_test_1",
                ["metadata"] = new JsonObject { ["refund_id"] = "rf_1" },
            }),
        }.ToJsonString());

        var result = await provider.RefundAsync(new RefundRequest("pay_1", "chrg_test_1", null, Money.Parse("500.00 THB"), "rf_1"), default);

        Assert.Equal((RefundStatus.Succeeded, "rfnd_test_1"), (result.Status, result.ProviderRefundId));
        Assert.DoesNotContain(script.Seen, s => s.Request.Method == HttpMethod.Post);
    }

    [Fact]
    public async Task A_new_refund_carries_our_refund_id_as_key_and_in_metadata()
    {
        var (provider, script) = Provider();
        script.Answer = (request, _) => request.Method == HttpMethod.Get
            ? (HttpStatusCode.OK, "{\"object\":\"list\",\"total\":0,\"data\":[]}")
            : (HttpStatusCode.OK, "{\"object\":\"refund\",\"id\":\"rfnd_test_2\",\"amount\":50000,\"currency\":\"thb\",\"charge\":\"chrg_test_1\"}");

        var result = await provider.RefundAsync(new RefundRequest("pay_1", "chrg_test_1", null, Money.Parse("500.00 THB"), "rf_2"), default);

        Assert.Equal((RefundStatus.Succeeded, "rfnd_test_2"), (result.Status, result.ProviderRefundId));
        var (request, body) = script.Seen.Single(s => s.Request.Method == HttpMethod.Post);
        Assert.Equal(("/charges/chrg_test_1/refunds", "rf_2"), (request.RequestUri!.AbsolutePath, request.Headers.GetValues("Idempotency-Key").Single()));
        var json = JsonNode.Parse(body)!;
        Assert.Equal((50000L, "rf_2", "pay_1"), ((long)json["amount"]!, (string)json["metadata"]!["refund_id"]!, (string)json["metadata"]!["payment_id"]!));
    }

    private static WebhookRequest Delivery(string key, string dataObject, string chargeId = "chrg_test_1") => new(
        new Dictionary<string, string>(),
        Encoding.UTF8.GetBytes(new JsonObject
        {
            ["object"] = "event", ["id"] = "evnt_test_1", ["key"] = key,
            ["data"] = dataObject == "refund"
                ? new JsonObject { ["object"] = "refund", ["id"] = "rfnd_test_1", ["charge"] = chargeId, ["amount"] = 1 }
                : new JsonObject { ["object"] = dataObject, ["id"] = chargeId, ["amount"] = 1, ["status"] = "successful", ["paid"] = true },
        }.ToJsonString()),
        Clock.GetUtcNow());

    [Fact]
    public async Task An_unverified_event_is_what_Omise_answers_for_its_charge_under_an_id_made_from_that_answer()
    {
        var (provider, script) = Provider();
        script.Answer = (_, _) => (HttpStatusCode.OK, ChargeJson(status: "successful", paid: true, refunded: 50000));
        var request = Delivery("refund.create", "refund");

        var result = await provider.ReceiveAsync(request, default);

        Assert.Equal("refetch", result.Method);
        var e = result.Event!;
        Assert.Equal(("refetch:chrg_test_1:successful:50000", "refund.create", ProviderEventKind.Refunded, "pay_1"), (e.EventId, e.EventType, e.Kind, e.PaymentId));
        Assert.Equal((Money.Parse("1900.00 THB"), Money.Parse("500.00 THB")), (e.Amount, e.RefundedTotal));
        Assert.Equal("/charges/chrg_test_1", Assert.Single(script.Seen).Request.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task A_body_claiming_success_for_a_pending_charge_is_pending()
    {
        var (provider, script) = Provider();
        script.Answer = (_, _) => (HttpStatusCode.OK, ChargeJson(status: "pending"));
        var e = (await provider.ReceiveAsync(Delivery("charge.complete", "charge"), default)).Event!;
        Assert.Equal((ProviderEventKind.PaymentPending, (Money?)null, "refetch:chrg_test_1:pending:0"), (e.Kind, e.Amount, e.EventId));
    }

    [Fact]
    public async Task An_event_about_no_charge_Omise_knows_changes_nothing_and_cannot_claim_a_real_events_id()
    {
        var (provider, script) = Provider();
        script.Answer = (_, _) => (HttpStatusCode.NotFound, "{\"object\":\"error\",\"code\":\"not_found\",\"message\":\"charge was not found\"}");
        var e = (await provider.ReceiveAsync(Delivery("charge.complete", "charge", "chrg_test_forged"), default)).Event!;
        Assert.Equal((ProviderEventKind.Informational, "unverified:evnt_test_1"), (e.Kind, e.EventId));

        var customer = (await provider.ReceiveAsync(Delivery("customer.create", "customer", "cust_test_1"), default)).Event!;
        Assert.Equal(ProviderEventKind.Informational, customer.Kind);
        Assert.Single(script.Seen); // a customer names no charge: nothing to fetch
    }

    [Fact]
    public async Task A_body_that_is_not_an_Omise_event_is_malformed()
    {
        var (provider, _) = Provider();
        var result = await provider.ReceiveAsync(new WebhookRequest(new Dictionary<string, string>(), "{\"hello\":1}"u8.ToArray(), Clock.GetUtcNow()), default);
        Assert.True(result.Malformed);
    }
}
