using Microsoft.EntityFrameworkCore;
using System.Net;
using System.Text.Json.Nodes;
using Payments.Core.Payments;
using Payments.Server.Tests.Fakes.Stripe;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Stripe;

/// <summary>Stripe Checkout end to end: create-intent → fake Stripe → signed webhooks → our state, on each database.</summary>
public abstract class StripeCheckoutFlowTests<TApp>(TApp fixture) : StripeFlowTestsBase<TApp>(fixture)
    where TApp : AppFixture, IStripeApp
{
    [Fact]
    public async Task Create_intent_opens_a_Checkout_Session_for_exactly_the_plan_price_in_Stripes_encoding()
    {
        var before = DateTimeOffset.UtcNow;
        var (paymentId, sessionId, intent) = await StartPayment("pro");

        Assert.StartsWith("cs_test_", sessionId);
        Assert.Equal($"https://checkout.stripe.com/c/pay/{sessionId}", intent.Str("redirect_url"));
        Assert.Equal((2900, "EUR"), (intent.GetProperty("amount").GetInt64(), intent.Str("currency")));
        var sent = Stripe.RequestsTo("/v1/checkout/sessions").Single(r => r["client_reference_id"] == paymentId);
        Assert.Equal(("payment", "1", "eur", "2900", "Pro plan"),
            (sent["mode"], sent["line_items[0][quantity]"], sent["line_items[0][price_data][currency]"],
                sent["line_items[0][price_data][unit_amount]"], sent["line_items[0][price_data][product_data][name]"]));
        Assert.Contains("line_items[0][price_data][unit_amount]=2900", sent.Body); // brackets as Stripe's libraries send them
        Assert.Equal((paymentId, paymentId, "pro"), (sent["metadata[payment_id]"], sent["payment_intent_data[metadata][payment_id]"], sent["metadata[plan]"]));
        Assert.EndsWith($"/payments/thanks?payment_id={paymentId}", sent["success_url"]);
        Assert.EndsWith($"/payments/cancel?payment_id={paymentId}", sent["cancel_url"]);
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(sent["expires_at"]!));
        Assert.InRange(expiresAt, before.AddMinutes(59), DateTimeOffset.UtcNow.AddMinutes(61)); // CHECKOUT_EXPIRES_MINUTES default 60
        Assert.Equal(($"Bearer {Stripe.SecretKey}", FakeStripe.ApiVersion, $"{paymentId}-checkout"),
            (sent.Header("Authorization"), sent.Header("Stripe-Version"), sent.Header("Idempotency-Key")));
        Assert.Equal(sessionId, (await Load(paymentId)).ProviderPaymentId);
    }

    [Fact]
    public async Task A_customer_pays_on_Stripe_and_the_signed_webhook_settles_the_payment()
    {
        var (paymentId, sessionId, _) = await StartPayment();
        var events = Stripe.Pay(sessionId);

        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(Of(events, "checkout.session.completed")));
        Assert.Equal((HttpStatusCode.OK, "no_change"), await Deliver(Of(events, "payment_intent.succeeded")));
        Assert.Equal((HttpStatusCode.OK, "informational"), await Deliver(Of(events, "charge.succeeded")));

        var payment = await Load(paymentId);
        Assert.Equal((PaymentStatus.Succeeded, Stripe.IntentIdOf(sessionId)), (payment.Status, payment.ProviderReference));
        Assert.NotNull(payment.PaidAt);
        Assert.Single(await AuditActions(paymentId), a => a == "payment.finalize");
    }

    [Fact]
    public async Task Duplicate_deliveries_are_answered_200_and_applied_once()
    {
        var (paymentId, sessionId, _) = await StartPayment();
        var completed = Of(Stripe.Pay(sessionId), "checkout.session.completed");

        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(completed));
        Assert.Equal((HttpStatusCode.OK, "duplicate"), await Deliver(completed));
        Assert.Equal((HttpStatusCode.OK, "duplicate"), await Deliver(completed));

        Assert.Equal(1, await EventRows(completed.Id));
        Assert.Single(await AuditActions(paymentId), a => a == "payment.finalize");
    }

    [Fact]
    public async Task The_intent_event_arriving_first_settles_the_payment_through_its_metadata()
    {
        var (paymentId, sessionId, _) = await StartPayment();
        var events = Stripe.Pay(sessionId);

        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(Of(events, "payment_intent.succeeded")));
        Assert.Equal((HttpStatusCode.OK, "no_change"), await Deliver(Of(events, "checkout.session.completed")));
        Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);
    }

    [Fact]
    public async Task A_declined_card_fails_the_payment_and_paying_again_on_the_open_session_succeeds()
    {
        var (paymentId, sessionId, _) = await StartPayment();

        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(Stripe.Decline(sessionId, "insufficient_funds")));
        var failed = await Load(paymentId);
        Assert.Equal(PaymentStatus.Failed, failed.Status);
        Assert.Equal("insufficient_funds: Your card has insufficient funds.", failed.FailureReason);

        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(Of(Stripe.Pay(sessionId), "checkout.session.completed")));
        Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);
    }

    [Fact]
    public async Task A_decline_delivered_after_the_success_is_stale_and_changes_nothing()
    {
        var (paymentId, sessionId, _) = await StartPayment();
        var declined = Stripe.Decline(sessionId);
        var completed = Of(Stripe.Pay(sessionId), "checkout.session.completed");

        await Deliver(completed);
        Assert.Equal((HttpStatusCode.OK, "stale"), await Deliver(declined));
        Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);
        Assert.Contains("payment.transition_rejected", await AuditActions(paymentId));
    }

    [Fact]
    public async Task An_expired_session_expires_the_payment()
    {
        var (paymentId, sessionId, _) = await StartPayment();
        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(Stripe.Expire(sessionId)));
        Assert.Equal(PaymentStatus.Expired, (await Load(paymentId)).Status);
    }

    [Theory]
    [InlineData(true, PaymentStatus.Succeeded)]
    [InlineData(false, PaymentStatus.Failed)]
    public async Task An_asynchronous_method_stays_pending_until_Stripe_reports_its_outcome(bool succeeds, PaymentStatus expected)
    {
        var (paymentId, sessionId, _) = await StartPayment();
        Assert.Equal((HttpStatusCode.OK, "no_change"), await Deliver(Stripe.PayLater(sessionId)));
        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status);

        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(Stripe.SettleLater(sessionId, succeeds)));
        Assert.Equal(expected, (await Load(paymentId)).Status);
    }

    [Fact]
    public async Task A_JPY_payment_is_sent_and_checked_in_whole_yen()
    {
        var (paymentId, sessionId, intent) = await StartPayment("yen");
        Assert.Equal((1900, "JPY"), (intent.GetProperty("amount").GetInt64(), intent.Str("currency")));
        var sent = Stripe.RequestsTo("/v1/checkout/sessions").Single(r => r["client_reference_id"] == paymentId);
        Assert.Equal(("1900", "jpy"), (sent["line_items[0][price_data][unit_amount]"], sent["line_items[0][price_data][currency]"]));

        Assert.Equal((HttpStatusCode.OK, "applied"), await Deliver(Of(Stripe.Pay(sessionId), "checkout.session.completed")));
        var payment = await Load(paymentId);
        Assert.Equal((PaymentStatus.Succeeded, 1900, "JPY"), (payment.Status, payment.AmountMinor, payment.Currency));
    }

    [Theory]
    [InlineData(1800, "eur")]
    [InlineData(1900, "usd")]
    [InlineData(190000, "eur")]
    public async Task A_success_for_another_amount_or_currency_answers_409_and_conflicts_the_payment(long amount, string currency)
    {
        var (paymentId, sessionId, _) = await StartPayment();
        var forged = Stripe.Emit("checkout.session.completed", new JsonObject
        {
            ["id"] = sessionId, ["object"] = "checkout.session", ["amount_total"] = amount, ["currency"] = currency,
            ["client_reference_id"] = paymentId, ["metadata"] = new JsonObject { ["payment_id"] = paymentId },
            ["payment_status"] = "paid", ["status"] = "complete",
        });

        Assert.Equal(HttpStatusCode.Conflict, (await Deliver(forged)).Status);
        Assert.Equal(PaymentStatus.Conflicted, (await Load(paymentId)).Status);
        Assert.Equal((HttpStatusCode.OK, "duplicate"), await Deliver(forged)); // Stripe's retry after the 409
    }

    [Fact]
    public async Task Forged_aged_or_tampered_deliveries_are_refused_with_400_and_change_nothing()
    {
        var (paymentId, sessionId, _) = await StartPayment();
        var completed = Of(Stripe.Pay(sessionId), "checkout.session.completed");
        var tampered = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(completed.Body).Replace("1900", "1800"));

        var responses = new[]
        {
            await Stripe.DeliverAsync(completed, secret: "whsec_someone_else"),
            await Stripe.DeliverAsync(completed, signedAt: DateTimeOffset.UtcNow.AddSeconds(-301)),
            await Stripe.DeliverAsync(completed, body: tampered),
        };

        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("signature_invalid", (await response.Body()).Str("code"));
        }
        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status);
        Assert.Equal(0, await EventRows(completed.Id));
    }

    [Fact]
    public async Task Event_types_we_do_not_handle_are_recorded_and_answered_200()
    {
        var (paymentId, _, _) = await StartPayment();
        var customer = Stripe.Emit("customer.created", new JsonObject { ["id"] = "cus_fake", ["object"] = "customer" });
        var ours = Stripe.Emit("payment_intent.created", new JsonObject
        {
            ["id"] = "pi_fake_created", ["object"] = "payment_intent", ["metadata"] = new JsonObject { ["payment_id"] = paymentId },
        });

        Assert.Equal((HttpStatusCode.OK, "informational"), await Deliver(customer)); // our customer data is the truth (Features/Subscriptions)
        Assert.Equal((HttpStatusCode.OK, "informational"), await Deliver(ours));
        Assert.Equal((1, 1), (await EventRows(customer.Id), await EventRows(ours.Id)));
        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status);
    }

    [Fact]
    public async Task An_event_about_a_record_nobody_handles_yet_is_recorded_once_with_its_record_type_and_answered_200()
    {
        // Subscriptions, invoices, customers and connected accounts have handlers now; a product edited in the dashboard has none.
        var productId = "prod_" + Guid.NewGuid().ToString("N")[..14];
        var product = Stripe.Emit("product.updated", new JsonObject { ["id"] = productId, ["object"] = "product" });

        Assert.Equal((HttpStatusCode.OK, "unhandled"), await Deliver(product));
        Assert.Equal((HttpStatusCode.OK, "duplicate"), await Deliver(product));
        await using var db = App.Db();
        var row = await db.Context.PaymentEvents.SingleAsync(e => e.ExternalEventId == product.Id);
        Assert.Equal(("other", productId, "unhandled", (string?)null),
            (row.RecordType, row.RecordId, row.Outcome, row.PaymentId));
    }
}

public sealed class StripeCheckoutFlowTests_Sqlite(StripeSqliteApp app) : StripeCheckoutFlowTests<StripeSqliteApp>(app);

public sealed class StripeCheckoutFlowTests_Postgres(StripePostgresApp app) : StripeCheckoutFlowTests<StripePostgresApp>(app);
