using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Payments.Core.Payments;
using Payments.Server.Tests.Fakes.Stripe;
using Payments.Server.Tests.Stripe;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Wallets;

/// <summary>
/// Google Pay and Apple Pay through Stripe, over HTTP against the fake Stripe: the token is charged at
/// once as a confirmed PaymentIntent, Stripe's signed webhooks (to Stripe's route) settle the payment,
/// which keeps the wallet's name, and refunds go to Stripe.
/// </summary>
public abstract class WalletFlowTests<TApp>(TApp fixture) : StripeFlowTestsBase<TApp>(fixture) where TApp : WalletApp
{
    /// <summary>create-intent with a wallet and its token; the answer's body.</summary>
    private async Task<JsonElement> PayWith(string provider, string walletToken, string plan = "basic")
    {
        var intent = await CreateIntent(new { plan, provider, wallet_token = walletToken });
        Assert.Equal(provider, intent.Str("provider"));
        return intent;
    }

    private async Task<(string PaymentId, string IntentId)> PaidWithGooglePay()
    {
        var intent = await PayWith("googlepay", Stripe.GooglePayPaymentData());
        var (paymentId, intentId) = (intent.Str("payment_id"), intent.Str("provider_payment_id"));
        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(SucceededEventOf(intentId)));
        return (paymentId, intentId);
    }

    private FakeEvent SucceededEventOf(string intentId) => EventOf("payment_intent.succeeded", intentId);

    /// <summary>The fake's last event of a type about this PaymentIntent (the intent itself, or a charge of it).</summary>
    private FakeEvent EventOf(string type, string intentId) =>
        Stripe.Events.Last(e => e.Type == type && JsonNode.Parse(e.Body)!["data"]!["object"] is { } o
            && (o["id"]!.GetValue<string>() == intentId || o["payment_intent"]?.GetValue<string>() == intentId));

    [Fact]
    public async Task A_Google_Pay_token_is_confirmed_at_once_as_a_PaymentIntent_for_the_plans_price_and_Stripes_webhook_settles_it()
    {
        var paymentData = Stripe.GooglePayPaymentData();

        var intent = await PayWith("googlepay", paymentData);

        var (paymentId, intentId) = (intent.Str("payment_id"), intent.Str("provider_payment_id"));
        Assert.StartsWith("pi_", intentId);
        Assert.Equal(("pending", 1900L, "EUR"), (intent.Str("status"), intent.GetProperty("amount").GetInt64(), intent.Str("currency")));
        Assert.Equal(JsonValueKind.Null, intent.GetProperty("redirect_url").ValueKind);
        var sent = Assert.Single(Stripe.RequestsTo("/v1/payment_intents"), r => r["metadata[payment_id]"] == paymentId);
        var tokenId = FakeStripe.TokenId(JsonNode.Parse(paymentData)!["paymentMethodData"]!["tokenizationData"]!["token"]!.GetValue<string>());
        Assert.Equal(("true", "card", tokenId, "1900", "eur", $"{paymentId}-checkout"),
            (sent["confirm"], sent["payment_method_data[type]"], sent["payment_method_data[card][token]"], sent["amount"], sent["currency"],
                sent.Header("Idempotency-Key")));
        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status);

        // Stripe delivers to its own route; the payment keeps its wallet's name.
        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(SucceededEventOf(intentId)));

        var row = await Load(paymentId);
        Assert.Equal((PaymentStatus.Succeeded, "googlepay", intentId, "google_pay"), (row.Status, row.Provider, row.ProviderReference, row.Wallet));
        // Stripe's charge.succeeded, which the Dashboard may also send, is recorded against the payment and changes nothing.
        Assert.Equal((HttpStatusCode.OK, "informational"), await Deliver(EventOf("charge.succeeded", intentId)));
    }

    [Fact]
    public async Task An_Apple_Pay_token_from_Stripe_js_is_charged_the_same_way_and_records_apple_pay()
    {
        var intent = await PayWith("applepay", Stripe.WalletToken("apple_pay"), plan: "pro");
        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(SucceededEventOf(intent.Str("provider_payment_id"))));

        var row = await Load(intent.Str("payment_id"));
        Assert.Equal((PaymentStatus.Succeeded, "applepay", 2900L, "apple_pay"), (row.Status, row.Provider, row.AmountMinor, row.Wallet));
    }

    [Fact]
    public async Task A_partial_refund_goes_to_Stripe_and_leaves_the_wallet_payment_partially_refunded()
    {
        var (paymentId, intentId) = await PaidWithGooglePay();
        using var admin = App.Client().As(Credentials.AdminKey);

        var refund = await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 700 });

        var body = await refund.Body();
        Assert.Equal(HttpStatusCode.OK, refund.StatusCode);
        Assert.Equal(("succeeded", "partially_refunded", 700L), (body.Str("status"), body.Str("payment_status"), body.GetProperty("refunded").GetInt64()));
        var sent = Assert.Single(Stripe.RequestsTo("/v1/refunds"), r => r["payment_intent"] == intentId);
        Assert.Equal("700", sent["amount"]);
        // Stripe's charge.refunded comes to Stripe's route and finds the wallet payment; it was recorded already.
        Assert.Equal((HttpStatusCode.OK, "no_change"), await Deliver(Stripe.LastEvent("charge.refunded")));
        Assert.Equal((PaymentStatus.PartiallyRefunded, 700), await StateOf(paymentId));
    }

    [Fact]
    public async Task A_refund_made_at_Stripe_reaches_the_wallet_payment_through_Stripes_webhook()
    {
        var (paymentId, intentId) = await PaidWithGooglePay();
        var refunded = await App.Get<Providers.Stripe.StripeProvider>().RefundAsync(
            new Core.Providers.RefundRequest(paymentId, intentId, intentId, Core.Money.Money.Of(500, "EUR"), $"dashboard-{paymentId}"), default);
        Assert.Equal(Core.Providers.RefundStatus.Succeeded, refunded.Status);

        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(Stripe.LastEvent("charge.refunded")));

        Assert.Equal((PaymentStatus.PartiallyRefunded, 500), await StateOf(paymentId));
    }

    [Fact]
    public async Task The_same_Stripe_event_delivered_twice_settles_the_wallet_payment_once()
    {
        var intent = await PayWith("googlepay", Stripe.GooglePayPaymentData());
        var paymentId = intent.Str("payment_id");
        var succeeded = SucceededEventOf(intent.Str("provider_payment_id"));

        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(succeeded));
        Assert.Equal((HttpStatusCode.OK, "duplicate"), await Deliver(succeeded));

        Assert.Equal(1, await EventRows(succeeded.Id));
        Assert.Single(await AuditActions(paymentId), a => a == "payment.finalize");
    }

    [Fact]
    public async Task A_Stripe_success_for_another_amount_answers_409_and_conflicts_the_wallet_payment()
    {
        var intent = await PayWith("googlepay", Stripe.GooglePayPaymentData(WalletOutcome.RequiresAction));
        var (paymentId, intentId) = (intent.Str("payment_id"), intent.Str("provider_payment_id"));
        var forged = Stripe.Emit("payment_intent.succeeded", new JsonObject
        {
            ["id"] = intentId, ["object"] = "payment_intent", ["amount"] = 1800, ["amount_received"] = 1800, ["currency"] = "eur",
            ["metadata"] = new JsonObject { ["payment_id"] = paymentId }, ["status"] = "succeeded",
        });

        Assert.Equal(HttpStatusCode.Conflict, (await Deliver(forged)).Status);

        Assert.Equal(PaymentStatus.Conflicted, (await Load(paymentId)).Status);
    }

    [Fact]
    public async Task A_token_that_needs_3D_Secure_answers_Stripes_redirect_and_the_client_secret_and_settles_afterwards()
    {
        var intent = await PayWith("googlepay", Stripe.GooglePayPaymentData(WalletOutcome.RequiresAction));

        var intentId = intent.Str("provider_payment_id");
        Assert.Equal("pending", intent.Str("status"));
        Assert.StartsWith($"https://hooks.stripe.com/3d_secure_2/hosted?payment_intent={intentId}", intent.Str("redirect_url"));
        Assert.StartsWith($"{intentId}_secret_", intent.Str("client_secret"));
        var sent = Assert.Single(Stripe.RequestsTo("/v1/payment_intents"), r => r["metadata[payment_id]"] == intent.Str("payment_id"));
        Assert.StartsWith(App.BaseAddress + "payments/thanks?payment_id=", sent["return_url"]); // where 3-D Secure sends the buyer back

        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(Stripe.CompleteAction(intentId)));
        Assert.Equal(PaymentStatus.Succeeded, (await Load(intent.Str("payment_id"))).Status);
    }

    [Fact]
    public async Task A_declined_wallet_card_fails_the_payment_at_once()
    {
        var intent = await PayWith("applepay", Stripe.WalletToken("apple_pay", WalletOutcome.Declined));

        Assert.Equal("failed", intent.Str("status"));
        var row = await Load(intent.Str("payment_id"));
        Assert.Equal((PaymentStatus.Failed, "card_declined: Your card was declined."), (row.Status, row.FailureReason));
    }

    [Fact]
    public async Task Verify_by_the_PaymentIntent_id_asks_Stripe_and_settles_a_wallet_payment_whose_webhook_was_lost()
    {
        var intent = await PayWith("googlepay", Stripe.GooglePayPaymentData());
        using var http = App.Client();

        var verified = await http.PostJson("/api/v1/payment/verify", new { payment_id = intent.Str("provider_payment_id") });

        var body = await verified.Body();
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Equal((intent.Str("payment_id"), "succeeded"), (body.Str("payment_id"), body.Str("status")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("pm_1N3T00LkdIwHu7ix")]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"id\":\"pm_123\",\"object\":\"payment_method\"}")]
    [InlineData("{\"id\":\"tok_x\",\"object\":\"token\",\"type\":\"bank_account\"}")]
    [InlineData("{\"paymentMethodData\":{\"tokenizationData\":{\"type\":\"DIRECT\",\"token\":\"{\\\"protocolVersion\\\":\\\"ECv2\\\"}\"}}}")]
    public async Task A_missing_or_unusable_wallet_token_is_refused_with_422_before_anything_is_written_or_sent(string? token)
    {
        var calls = Stripe.RequestsTo("/v1/payment_intents").Count;
        await using (var db = App.Db())
        {
            var before = await db.Context.Payments.CountAsync(p => p.Provider == "googlepay");
            using var http = App.Client();

            var response = await http.PostJson("/api/v1/payment/create-intent", new { plan = "basic", provider = "googlepay", wallet_token = token });

            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal("validation", (await response.Body()).Str("code"));
            Assert.Equal(before, await db.Context.Payments.CountAsync(p => p.Provider == "googlepay"));
        }
        Assert.Equal(calls, Stripe.RequestsTo("/v1/payment_intents").Count);
    }

    [Fact]
    public async Task A_well_formed_token_Stripe_does_not_know_is_422_and_the_attempt_is_recorded_as_failed()
    {
        using var http = App.Client();

        var response = await http.PostJson("/api/v1/payment/create-intent", new { plan = "basic", provider = "applepay", wallet_token = "tok_unknownToStripe" });

        var body = await response.Body();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("No such token", body.Str("detail"));
        Assert.Equal(PaymentStatus.Failed, (await Load(body.Str("payment_id"))).Status);
    }

    [Fact]
    public async Task A_wallet_token_sent_to_a_provider_that_is_not_a_wallet_is_refused_with_422()
    {
        using var http = App.Client();

        var response = await http.PostJson("/api/v1/payment/create-intent", new { plan = "basic", provider = "stripe", wallet_token = Stripe.WalletToken() });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }
}

public sealed class WalletFlowTests_Sqlite(WalletSqliteApp app) : WalletFlowTests<WalletSqliteApp>(app);

public sealed class WalletFlowTests_Postgres(WalletPostgresApp app) : WalletFlowTests<WalletPostgresApp>(app);
