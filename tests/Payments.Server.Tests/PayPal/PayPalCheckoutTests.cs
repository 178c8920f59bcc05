using System.Net;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Providers.PayPal;
using Payments.Server.Tests.Fakes.PayPal;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.PayPal;

/// <summary>Orders v2 end to end: create, the buyer approves at (fake) PayPal, the capture route takes the money.</summary>
public abstract class PayPalCheckoutTests<TApp>(TApp fixture) : PayPalTestsBase<TApp>(fixture) where TApp : AppFixture, IPayPalApp
{
    [Fact]
    public async Task Create_approve_capture_settles_the_payment_with_the_captured_amount()
    {
        var intent = await CreateIntent(new { plan = "basic", provider = "paypal" });
        var (paymentId, orderId) = (intent.Str("payment_id"), intent.Str("provider_payment_id"));
        Assert.Equal(("paypal", "pending", 1900), (intent.Str("provider"), intent.Str("status"), intent.GetProperty("amount").GetInt32()));
        Assert.True(PayPalIds.IsOrderId(orderId));
        Assert.Equal($"https://www.sandbox.paypal.com/checkoutnow?token={orderId}", intent.Str("redirect_url"));

        var create = Assert.Single(PayPal.RequestsTo("POST", "/v2/checkout/orders"), r => r.Header("PayPal-Request-Id") == $"{paymentId}-checkout");
        var unit = create.Json!["purchase_units"]![0]!;
        Assert.Equal("CAPTURE", (string?)create.Json["intent"]);
        Assert.Equal(("EUR", "19.00"), ((string?)unit["amount"]!["currency_code"], (string?)unit["amount"]!["value"]));
        Assert.Equal((paymentId, paymentId), ((string?)unit["custom_id"], (string?)unit["invoice_id"]));
        Assert.EndsWith($"/payments/thanks?payment_id={paymentId}", (string?)create.Json["payment_source"]!["paypal"]!["experience_context"]!["return_url"]);

        PayPal.Approve(orderId);
        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status); // approval alone moves no money
        var response = await CaptureRoute(orderId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Body();
        Assert.Equal((paymentId, "succeeded", 1900L), (body.Str("payment_id"), body.Str("status"), body.GetProperty("amount").GetInt64()));
        var payment = await Load(paymentId);
        Assert.Equal((PaymentStatus.Succeeded, PayPal.State.CaptureOf(orderId).Id), (payment.Status, payment.ProviderReference));
        Assert.NotNull(payment.PaidAt);
        Assert.Single(await AuditActions(paymentId), a => a == "payment.finalize");
        Assert.Equal($"{paymentId}-capture", Assert.Single(PayPal.RequestsTo("POST", $"/v2/checkout/orders/{orderId}/capture")).Header("PayPal-Request-Id"));
    }

    [Fact]
    public async Task A_JPY_order_is_sent_without_decimals_and_settles_in_yen()
    {
        var (paymentId, orderId) = await NewPayPalPayment("yen");
        var unit = PayPal.RequestsTo("POST", "/v2/checkout/orders").Single(r => r.Header("PayPal-Request-Id") == $"{paymentId}-checkout").Json!["purchase_units"]![0]!;
        Assert.Equal(("JPY", "1900"), ((string?)unit["amount"]!["currency_code"], (string?)unit["amount"]!["value"]));

        PayPal.Approve(orderId);
        var body = await (await CaptureRoute(paymentId)).Body();

        Assert.Equal(("succeeded", 1900L, "JPY"), (body.Str("status"), body.GetProperty("amount").GetInt64(), body.Str("currency")));
    }

    [Fact]
    public async Task A_HUF_amount_is_sent_in_whole_forints_and_one_PayPal_cannot_take_exactly_is_refused_before_anything_is_sent()
    {
        var (paymentId, _) = await NewPayPalPayment("forint");
        var unit = PayPal.RequestsTo("POST", "/v2/checkout/orders").Single(r => r.Header("PayPal-Request-Id") == $"{paymentId}-checkout").Json!["purchase_units"]![0]!;
        Assert.Equal(("HUF", "1000"), ((string?)unit["amount"]!["currency_code"], (string?)unit["amount"]!["value"]));

        var ordersBefore = PayPal.RequestsTo("POST", "/v2/checkout/orders").Count;
        using var http = App.Client();
        var refused = await http.PostJson("/api/v1/payment/create-intent", new { plan = "forint_fils", provider = "paypal" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = await refused.Body();
        Assert.Equal("validation", problem.Str("code"));
        Assert.Contains("HUF with no decimals", problem.Str("detail"));
        Assert.Equal(ordersBefore, PayPal.RequestsTo("POST", "/v2/checkout/orders").Count);
        // The refused attempt is not left looking open: it failed, and says why.
        var failed = await Load(problem.Str("payment_id"));
        Assert.Equal(PaymentStatus.Failed, failed.Status);
        Assert.Contains("HUF", failed.FailureReason);
    }

    [Fact]
    public async Task Capturing_twice_captures_once_and_both_answers_say_succeeded()
    {
        var (paymentId, orderId) = await NewPayPalPayment();
        PayPal.Approve(orderId);

        var first = await CaptureRoute(orderId);
        var second = await CaptureRoute(paymentId);

        Assert.Equal(("succeeded", "succeeded"), ((await first.Body()).Str("status"), (await second.Body()).Str("status")));
        var captures = PayPal.RequestsTo("POST", $"/v2/checkout/orders/{orderId}/capture");
        Assert.Equal(2, captures.Count);
        Assert.All(captures, c => Assert.Equal($"{paymentId}-capture", c.Header("PayPal-Request-Id")));
        Assert.Single(PayPal.State.Captures.Values, c => c.OrderId == orderId);
        Assert.Single(await AuditActions(paymentId), a => a == "payment.finalize");
    }

    [Fact]
    public async Task An_order_captured_elsewhere_answers_ORDER_ALREADY_CAPTURED_which_is_success()
    {
        var (paymentId, orderId) = await NewPayPalPayment("pro");
        PayPal.Approve(orderId);
        var capture = PayPal.CaptureElsewhere(orderId); // e.g. PayPal's JS SDK in the buyer's browser

        var response = await CaptureRoute(orderId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("succeeded", (await response.Body()).Str("status"));
        Assert.Contains("ORDER_ALREADY_CAPTURED", Assert.Single(PayPal.RequestsTo("POST", $"/v2/checkout/orders/{orderId}/capture")).ResponseBody);
        var payment = await Load(paymentId);
        Assert.Equal((PaymentStatus.Succeeded, capture.Id), (payment.Status, payment.ProviderReference));
    }

    [Fact]
    public async Task A_declined_capture_fails_the_payment_and_the_buyers_next_approval_is_captured_under_a_new_key()
    {
        var (paymentId, orderId) = await NewPayPalPayment();
        PayPal.Approve(orderId, CaptureOutcome.Declined);

        var declined = await CaptureRoute(orderId);
        Assert.Equal(HttpStatusCode.OK, declined.StatusCode);
        Assert.Equal("failed", (await declined.Body()).Str("status"));
        Assert.Contains("INSTRUMENT_DECLINED", (await Load(paymentId)).FailureReason);

        // The buyer picks another funding source on PayPal and approves again.
        PayPal.Approve(orderId);
        var paid = await CaptureRoute(orderId);

        Assert.Equal("succeeded", (await paid.Body()).Str("status"));
        var keys = PayPal.RequestsTo("POST", $"/v2/checkout/orders/{orderId}/capture").Select(r => r.Header("PayPal-Request-Id")).ToList();
        Assert.Equal(2, keys.Distinct().Count());
    }

    [Fact]
    public async Task Capturing_an_order_the_buyer_has_not_approved_answers_409_and_changes_nothing()
    {
        var (paymentId, orderId) = await NewPayPalPayment();
        var response = await CaptureRoute(orderId);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("conflict", (await response.Body()).Str("code"));
        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status);
    }

    [Fact]
    public async Task A_payment_we_gave_up_on_is_not_captured_even_if_the_buyer_approves_late()
    {
        var (paymentId, orderId) = await NewPayPalPayment();
        await using (var db = App.Db())
        {
            var row = await db.Context.Payments.FindAsync(paymentId);
            row!.Status = PaymentStatus.Expired;
            await db.Context.SaveChangesAsync();
        }
        PayPal.Approve(orderId);

        var route = await CaptureRoute(orderId);
        var webhook = await PayPal.DeliverAsync(PayPal.OrderApproved(orderId));

        Assert.Equal(HttpStatusCode.Conflict, route.StatusCode);
        Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);
        Assert.Empty(PayPal.RequestsTo("POST", $"/v2/checkout/orders/{orderId}/capture"));
        Assert.Equal(PaymentStatus.Expired, (await Load(paymentId)).Status);
    }

    [Fact]
    public async Task The_capture_route_refuses_other_providers_payments_and_unknown_ids_with_404()
    {
        var dummy = await CreateIntent(new { plan = "basic", provider = "dummy" });
        Assert.Equal(HttpStatusCode.NotFound, (await CaptureRoute(dummy.Str("payment_id"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await CaptureRoute("pay_nosuchpayment")).StatusCode);
        using var http = App.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync($"/api/v1/payment/capture/dummy/{dummy.Str("payment_id")}", null)).StatusCode);
    }

    [Fact]
    public async Task A_revoked_access_token_is_replaced_once_and_the_call_goes_through()
    {
        var (paymentId, orderId) = await NewPayPalPayment();
        var tokens = PayPal.TokensIssued;
        PayPal.ExpireAccessTokens();

        using var http = App.Client();
        var verify = await http.PostJson("/api/v1/payment/verify", new { payment_id = paymentId });
        await http.PostJson("/api/v1/payment/verify", new { payment_id = paymentId });

        Assert.Equal("pending", (await verify.Body()).Str("status"));
        Assert.Equal(tokens + 1, PayPal.TokensIssued); // one refresh, then the new token is cached
        Assert.Equal([401, 200, 200], PayPal.RequestsTo("GET", $"/v2/checkout/orders/{orderId}").Select(r => r.Status));
    }

    [Fact]
    public async Task Wrong_client_credentials_are_a_provider_error_naming_the_settings()
    {
        var options = App.Get<PayPalOptions>() with { ClientSecret = "not-the-secret" };
        var client = new PayPalClient(new HttpClient { BaseAddress = PayPal.BaseAddress }, new PayPalAccessTokens(TimeProvider.System), options);

        var error = await Assert.ThrowsAsync<ProviderErrorException>(() => client.GetOrderAsync("5O190127TN364715T", default));

        Assert.Contains("PAYPAL_CLIENT_SECRET", error.Message);
        Assert.Equal("invalid_client", error.ProviderCode);
        Assert.Equal(401, PayPal.RequestsTo("POST", "/v1/oauth2/token").Last().Status);
    }

    [Fact]
    public async Task Verify_reads_the_order_and_heals_a_capture_the_service_never_heard_of()
    {
        var (paymentId, orderId) = await NewPayPalPayment("pro");
        PayPal.Approve(orderId);
        var capture = PayPal.CaptureElsewhere(orderId);

        using var http = App.Client();
        var body = await (await http.PostJson("/api/v1/payment/verify", new { payment_id = orderId })).Body();

        Assert.Equal((paymentId, "succeeded", 2900L), (body.Str("payment_id"), body.Str("status"), body.GetProperty("amount").GetInt64()));
        Assert.Equal(capture.Id, (await Load(paymentId)).ProviderReference);
    }
}

public sealed class PayPalCheckoutTests_Sqlite(PayPalSqliteApp_Api app) : PayPalCheckoutTests<PayPalSqliteApp_Api>(app);

public sealed class PayPalCheckoutTests_Postgres(PayPalPostgresApp_Api app) : PayPalCheckoutTests<PayPalPostgresApp_Api>(app);
