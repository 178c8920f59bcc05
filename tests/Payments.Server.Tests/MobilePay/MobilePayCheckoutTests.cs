using System.Net;
using Payments.Core.Payments;
using Payments.Server.Tests.Fakes.MobilePay;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.MobilePay;

/// <summary>ePayment end to end: create, the landing page, the signed authorization webhook, capture, refund.</summary>
public abstract class MobilePayCheckoutTests<TApp>(TApp fixture) : MobilePayTestsBase<TApp>(fixture) where TApp : AppFixture, IMobilePayApp
{
    [Fact]
    public async Task Create_approve_on_the_landing_page_capture_on_the_webhook_then_a_partial_refund_leaves_it_partially_refunded()
    {
        var intent = await CreateIntent(new { plan = "basic", provider = "mobilepay" });
        var (paymentId, reference) = (intent.Str("payment_id"), intent.Str("provider_payment_id"));
        Assert.Equal(("mobilepay", "pending", 1900), (intent.Str("provider"), intent.Str("status"), intent.GetProperty("amount").GetInt32()));
        Assert.Equal("mp-" + paymentId[4..], reference);
        Assert.StartsWith($"{Vipps.BaseAddress}landing?token=", intent.Str("redirect_url"));

        var create = Assert.Single(Vipps.RequestsTo("POST", "/epayment/v1/payments"), r => (string?)r.Json!["reference"] == reference);
        Assert.Equal($"{paymentId}-checkout", create.Header("Idempotency-Key"));
        Assert.Equal(("EUR", 1900L), ((string?)create.Json!["amount"]!["currency"], (long)create.Json["amount"]!["value"]!));
        Assert.Equal(("WALLET", "WEB_REDIRECT", "Basic plan"),
            ((string?)create.Json["paymentMethod"]!["type"], (string?)create.Json["userFlow"], (string?)create.Json["paymentDescription"]));
        Assert.EndsWith($"/payments/thanks?payment_id={paymentId}", (string?)create.Json["returnUrl"]);

        // The customer approves on Vipps's landing page: Vipps signs and sends the authorization, then sends the browser back.
        var (page, redirect, webhook) = await OnLandingPage(intent.Str("redirect_url"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, redirect.StatusCode);
        Assert.EndsWith($"/payments/thanks?payment_id={paymentId}", redirect.Headers.Location!.ToString());
        Assert.Equal((HttpStatusCode.OK, "applied", (string?)null), await Read(webhook));

        var paid = await Load(paymentId);
        Assert.Equal(PaymentStatus.Succeeded, paid.Status);
        Assert.NotNull(paid.PaidAt);
        var capture = Assert.Single(Vipps.RequestsTo("POST", $"/epayment/v1/payments/{reference}/capture"));
        Assert.Equal($"{paymentId}-capture", capture.Header("Idempotency-Key"));
        Assert.Equal("""{"modificationAmount":{"currency":"EUR","value":1900}}""", capture.Body);
        Assert.Equal(1900, Vipps.Payment(reference).Captured);
        var authorized = Vipps.LandingDeliveries.Last().Delivery;
        var row = await EventRow(EventId(authorized));
        Assert.Equal(("epayments.payment.authorized.v1", "hmac-sha256", "applied", paymentId), (row.EventType, row.Verification, row.Outcome, row.PaymentId));

        // Vipps then reports the capture, and may deliver the authorization again: neither changes anything.
        var captured = Assert.Single(await Vipps.DeliverQueuedAsync(reference));
        Assert.Equal(("CAPTURED", "no_change"), (captured.Delivery.Name, (await Read(captured.Response)).Outcome));
        Assert.Equal("duplicate", (await Read(await Deliver(authorized))).Outcome);
        Assert.Single(Vipps.RequestsTo("POST", $"/epayment/v1/payments/{reference}/capture"));
        Assert.Single(await AuditActions(paymentId), a => a == "payment.finalize");

        using var admin = App.Client().As(Credentials.AdminKey);
        var refund = await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 500, reason = "Customer asked" });
        Assert.Equal(HttpStatusCode.OK, refund.StatusCode);
        var refunded = await refund.Body();
        Assert.Equal(("succeeded", "partially_refunded", 500L), (refunded.Str("status"), refunded.Str("payment_status"), refunded.GetProperty("refunded").GetInt64()));
        var sent = Assert.Single(Vipps.RequestsTo("POST", $"/epayment/v1/payments/{reference}/refund"));
        Assert.Equal(refunded.Str("refund_id"), sent.Header("Idempotency-Key"));
        Assert.Equal("""{"modificationAmount":{"currency":"EUR","value":500}}""", sent.Body);

        // The refund's webhook carries only this refund's amount; the service reads the cumulative total.
        var refundEvent = Assert.Single(await Vipps.DeliverQueuedAsync(reference));
        Assert.Equal(("REFUNDED", "no_change"), (refundEvent.Delivery.Name, (await Read(refundEvent.Response)).Outcome));
        var after = await Load(paymentId);
        Assert.Equal((PaymentStatus.PartiallyRefunded, 500L), (after.Status, after.RefundedMinor));
    }

    [Fact]
    public async Task Every_call_carries_the_subscription_key_the_sales_unit_and_the_system_headers()
    {
        await PaidPayment();
        var calls = Vipps.Requests.Where(r => r.Path != "/landing").ToList();
        Assert.NotEmpty(calls);
        Assert.All(calls, call =>
        {
            Assert.Equal(Vipps.SubscriptionKey, call.Header("Ocp-Apim-Subscription-Key"));
            Assert.Equal(Vipps.Msn, call.Header("Merchant-Serial-Number"));
            foreach (var header in new[] { "Vipps-System-Name", "Vipps-System-Version", "Vipps-System-Plugin-Name", "Vipps-System-Plugin-Version" })
                Assert.False(string.IsNullOrEmpty(call.Header(header)), $"{call.Method} {call.Path} lacks {header}");
        });
        Assert.All(Vipps.RequestsTo("POST", "/epayment/v1/payments*"), call => Assert.False(string.IsNullOrEmpty(call.Header("Idempotency-Key"))));
    }

    [Fact]
    public async Task The_access_token_is_fetched_once_and_reused_and_a_revoked_one_is_replaced_once()
    {
        await NewPayment();
        var tokens = Vipps.TokensIssued;
        await NewPayment();
        await NewPayment("kroner");
        Assert.Equal(tokens, Vipps.TokensIssued);

        Vipps.ExpireAccessTokens();
        var (paymentId, reference, _) = await NewPayment();
        using var http = App.Client();
        Assert.Equal("pending", (await (await http.PostJson("/api/v1/payment/verify", new { payment_id = paymentId })).Body()).Str("status"));
        Assert.Equal(tokens + 1, Vipps.TokensIssued);
        Assert.Equal([200], Vipps.RequestsTo("GET", $"/epayment/v1/payments/{reference}").Select(r => r.Status));
    }

    [Fact]
    public async Task A_NOK_price_goes_out_in_ore_and_a_currency_Vipps_does_not_take_is_refused_with_422_before_anything_is_sent()
    {
        var (_, reference, _) = await NewPayment("kroner");
        var create = Vipps.RequestsTo("POST", "/epayment/v1/payments").Single(r => (string?)r.Json!["reference"] == reference);
        Assert.Equal(("NOK", 49900L), ((string?)create.Json!["amount"]!["currency"], (long)create.Json["amount"]!["value"]!));

        var creates = Vipps.RequestsTo("POST", "/epayment/v1/payments").Count;
        using var http = App.Client();
        var refused = await http.PostJson("/api/v1/payment/create-intent", new { plan = "dollars", provider = "mobilepay" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = await refused.Body();
        Assert.Contains("NOK, DKK and EUR", problem.Str("detail"));
        Assert.Equal(creates, Vipps.RequestsTo("POST", "/epayment/v1/payments").Count);
        Assert.Equal(PaymentStatus.Failed, (await Load(problem.Str("payment_id"))).Status);
    }

    [Fact]
    public async Task An_authorization_whose_webhook_was_lost_stays_pending_on_verify_and_the_capture_route_takes_the_money()
    {
        var (paymentId, reference, _) = await NewPayment();
        Vipps.Authorize(reference); // approved in the app; the webhook is lost

        using var http = App.Client();
        Assert.Equal("pending", (await (await http.PostJson("/api/v1/payment/verify", new { payment_id = paymentId })).Body()).Str("status"));
        Assert.Empty(Vipps.RequestsTo("POST", $"/epayment/v1/payments/{reference}/capture"));

        var captured = await CaptureRoute(reference);
        Assert.Equal(HttpStatusCode.OK, captured.StatusCode);
        Assert.Equal("succeeded", (await captured.Body()).Str("status"));
        var again = await CaptureRoute(paymentId);
        Assert.Equal("succeeded", (await again.Body()).Str("status"));
        Assert.Single(Vipps.RequestsTo("POST", $"/epayment/v1/payments/{reference}/capture")); // captured already: no second call
        Assert.Equal(1900, Vipps.Payment(reference).Captured);
    }

    [Fact]
    public async Task Capturing_a_payment_the_customer_has_not_approved_answers_409_and_changes_nothing()
    {
        var (paymentId, reference, _) = await NewPayment();
        var response = await CaptureRoute(paymentId);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status);
        Assert.Empty(Vipps.RequestsTo("POST", $"/epayment/v1/payments/{reference}/capture"));
    }

    [Fact]
    public async Task A_customer_who_cancels_on_the_landing_page_cancels_the_payment_and_an_expired_one_expires()
    {
        var (cancelledId, _, redirect) = await NewPayment();
        var (_, back, webhook) = await OnLandingPage(redirect, action: "abort");
        Assert.Equal(HttpStatusCode.SeeOther, back.StatusCode);
        Assert.Equal("applied", (await Read(webhook)).Outcome);
        Assert.Equal(PaymentStatus.Canceled, (await Load(cancelledId)).Status);

        var (expiredId, reference, _) = await NewPayment();
        var expired = Assert.Single(Vipps.Expire(reference));
        Assert.Equal("applied", (await Read(await Deliver(expired))).Outcome);
        Assert.Equal(PaymentStatus.Expired, (await Load(expiredId)).Status);
    }

    [Fact]
    public async Task The_storefront_offers_Vipps_MobilePay_when_it_is_enabled()
    {
        using var http = App.Client();
        var page = await (await http.GetAsync("/")).Content.ReadAsStringAsync();
        Assert.Contains("value=\"mobilepay\"", page);
        Assert.Contains(">Vipps MobilePay</label>", page);
    }
}

public sealed class MobilePayCheckoutTests_Sqlite(MobilePaySqliteApp app) : MobilePayCheckoutTests<MobilePaySqliteApp>(app);

public sealed class MobilePayCheckoutTests_Postgres(MobilePayPostgresApp app) : MobilePayCheckoutTests<MobilePayPostgresApp>(app);
