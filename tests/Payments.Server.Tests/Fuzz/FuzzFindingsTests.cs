using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Payments.Core.Payments;
using Payments.Providers.Common;
using Payments.Providers.Dummy;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Fuzz;

/// <summary>
/// What the fuzzers found, one test each, so the fix stays fixed whatever the random cases of a run are.
/// Before each fix these answered 500, or changed a payment on a body no provider could have sent.
/// </summary>
public abstract class FuzzFindingsTests<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : FuzzApp
{
    private PaymentsApp App => fixture.App;

    [Theory]
    [InlineData("\"1e20\"")]
    [InlineData("\"+19.00\"")]
    [InlineData("\"-19.00\"")]
    public async Task A_signed_PayPal_capture_whose_amount_cannot_be_read_is_malformed_not_a_conflict(string value)
    {
        var targets = await fixture.TargetsAsync();
        var (paymentId, orderId, _) = targets.PayPal[0]; // pending
        var body = $"{{\"id\":\"WH-{Guid.NewGuid():N}\",\"event_type\":\"PAYMENT.CAPTURE.COMPLETED\",\"resource\":{{\"id\":\"FUZZ0000000000001\",\"status\":\"COMPLETED\"," +
                   $"\"amount\":{{\"currency_code\":\"EUR\",\"value\":{value}}},\"custom_id\":\"{paymentId}\",\"supplementary_data\":{{\"related_ids\":{{\"order_id\":\"{orderId}\"}}}}}}}}";
        var before = await StateSnapshot.TakeAsync(App);

        using var response = await fixture.PayPal.DeliverAsync(fixture.PayPal.Sign(Encoding.UTF8.GetBytes(body)));

        await AssertRefused(response, "malformed_event", before);
    }

    [Fact]
    public async Task A_signed_Stripe_refund_with_a_quoted_amount_is_malformed_not_applied()
    {
        var targets = await fixture.TargetsAsync();
        var (_, _, intentId) = targets.Stripe[1]; // paid
        var body = StripeEvent("charge.refunded",
            $"{{\"id\":\"ch_f\",\"object\":\"charge\",\"amount\":1900,\"amount_captured\":1900,\"amount_refunded\":\"500\",\"currency\":\"eur\",\"payment_intent\":\"{intentId}\"}}");
        var before = await StateSnapshot.TakeAsync(App);

        using var response = await DeliverStripe(body);

        await AssertRefused(response, "malformed_event", before);
    }

    [Theory]
    [InlineData("checkout.session.completed")]
    [InlineData("checkout.session.async_payment_succeeded")]
    public async Task A_signed_Stripe_success_without_an_amount_is_malformed_not_a_conflict(string type)
    {
        // It made the payment conflicted (and told the host so) on a body Stripe never writes.
        var targets = await fixture.TargetsAsync();
        var (paymentId, sessionId, _) = targets.Stripe[0]; // pending
        var body = StripeEvent(type,
            $"{{\"id\":\"{sessionId}\",\"object\":\"checkout.session\",\"payment_status\":\"paid\",\"status\":\"complete\",\"amount_total\":null,\"currency\":\"eur\"," +
            $"\"client_reference_id\":\"{paymentId}\",\"metadata\":{{\"payment_id\":\"{paymentId}\"}},\"payment_intent\":\"pi_x\"}}");
        var before = await StateSnapshot.TakeAsync(App);

        using var response = await DeliverStripe(body);

        await AssertRefused(response, "malformed_event", before);
    }

    [Fact]
    public async Task A_signed_Stripe_success_with_an_amount_but_no_currency_is_malformed_not_a_conflict()
    {
        var targets = await fixture.TargetsAsync();
        var (paymentId, sessionId, _) = targets.Stripe[0]; // pending
        var body = StripeEvent("checkout.session.completed",
            $"{{\"id\":\"{sessionId}\",\"object\":\"checkout.session\",\"payment_status\":\"paid\",\"amount_total\":1900,\"currency\":null," +
            $"\"client_reference_id\":\"{paymentId}\",\"metadata\":{{\"payment_id\":\"{paymentId}\"}}}}");
        var before = await StateSnapshot.TakeAsync(App);

        using var response = await DeliverStripe(body);

        await AssertRefused(response, "malformed_event", before);
    }

    [Fact]
    public async Task A_signed_dummy_success_with_a_negative_amount_is_malformed_not_a_conflict()
    {
        var targets = await fixture.TargetsAsync();
        var body = DummyEvents.Body("evt_" + Guid.NewGuid().ToString("N"), "payment.succeeded", targets.Dummy[0].ProviderId, -1900, "EUR");
        var before = await StateSnapshot.TakeAsync(App);

        using var http = App.Client();
        using var response = await http.Deliver(body, DummyEvents.Sign(body, DummyOptions.DevelopmentSecret));

        await AssertRefused(response, "malformed_event", before);
        Assert.Equal(PaymentStatus.Pending, (await StatusOf(targets.Dummy[0].PaymentId)));
    }

    [Fact]
    public async Task A_signed_PayPal_capture_naming_its_amount_twice_is_malformed_not_a_conflict()
    {
        var targets = await fixture.TargetsAsync();
        var (paymentId, orderId, _) = targets.PayPal[0];
        var body = $"{{\"id\":\"WH-{Guid.NewGuid():N}\",\"event_type\":\"PAYMENT.CAPTURE.COMPLETED\",\"resource\":{{\"id\":\"FUZZ0000000000002\",\"status\":\"COMPLETED\"," +
                   $"\"amount\":{{\"currency_code\":\"EUR\",\"value\":\"19.00\"}},\"custom_id\":\"{paymentId}\",\"amount\":{{}}," +
                   $"\"supplementary_data\":{{\"related_ids\":{{\"order_id\":\"{orderId}\"}}}}}}}}";
        var before = await StateSnapshot.TakeAsync(App);

        using var response = await fixture.PayPal.DeliverAsync(fixture.PayPal.Sign(Encoding.UTF8.GetBytes(body)));

        await AssertRefused(response, "malformed_event", before);
    }

    [Fact]
    public async Task A_signed_dummy_success_naming_its_amount_twice_is_malformed_not_a_conflict()
    {
        var targets = await fixture.TargetsAsync();
        var body = Encoding.UTF8.GetBytes($"{{\"id\":\"evt_{Guid.NewGuid():N}\",\"type\":\"payment.succeeded\",\"payment_id\":\"{targets.Dummy[0].ProviderId}\"," +
                                          "\"amount\":1900,\"currency\":\"EUR\",\"amount\":1}");
        var before = await StateSnapshot.TakeAsync(App);

        using var http = App.Client();
        using var response = await http.Deliver(body, DummyEvents.Sign(body, DummyOptions.DevelopmentSecret));

        await AssertRefused(response, "malformed_event", before);
    }

    [Theory]
    [InlineData("\"amount_total\":1900,\"currency\":\"eur\",\"amount_total\":1", "evt_dup")]
    [InlineData("\"amount_total\":1900,\"currency\":\"\\ud800\"", "evt_surrogate")]
    public async Task A_signed_Stripe_event_with_a_member_twice_or_a_broken_escape_is_malformed(string members, string eventId)
    {
        var targets = await fixture.TargetsAsync();
        var (paymentId, sessionId, _) = targets.Stripe[0];
        var body = $"{{\"id\":\"{eventId}\",\"object\":\"event\",\"type\":\"checkout.session.completed\",\"data\":{{\"object\":{{\"id\":\"{sessionId}\"," +
                   $"\"object\":\"checkout.session\",\"payment_status\":\"paid\",{members},\"client_reference_id\":\"{paymentId}\"}}}}}}";
        var before = await StateSnapshot.TakeAsync(App);

        using var response = await DeliverStripe(body);

        await AssertRefused(response, "malformed_event", before);
    }

    [Theory]
    [InlineData("\\u0000")]
    [InlineData("pay_\\u0001x")]
    public async Task A_payment_id_with_a_control_character_is_found_nowhere_not_a_500(string escaped)
    {
        using var http = App.Client();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Credentials.AdminKey);
        var before = await StateSnapshot.TakeAsync(App);

        using var response = await http.PostAsync("/api/v1/payment/verify",
            new StringContent($"{{\"payment_id\":\"{escaped}\"}}", Encoding.UTF8, "application/json"));

        await AssertRefused(response, "not_found", before, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/api/v1/payments?provider=%00")]
    [InlineData("/api/v1/payments?reference=a%00b")]
    [InlineData("/api/v1/audit?action=%00")]
    [InlineData("/api/v1/credits/history?user_id=%00")]
    [InlineData("/api/v1/billing/info?user_id=u%00")]
    [InlineData("/api/v1/payments/pay_x?x%00=1")]
    public async Task A_query_with_a_NUL_character_is_a_declared_400_not_a_500(string pathAndQuery)
    {
        // PostgreSQL's text cannot hold U+0000: `GET /api/v1/payments?provider=%00` reached it and answered 500.
        // The contract check on the client fails the call if 400 is not in the operation's document.
        using var http = App.Client();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Credentials.AdminKey);
        var before = await StateSnapshot.TakeAsync(App);

        using var response = await http.GetAsync(pathAndQuery);

        await AssertRefused(response, "bad_request", before);
    }

    [Fact]
    public async Task An_idempotency_key_no_key_can_be_is_a_declared_400_on_a_route_without_a_body()
    {
        // The contract check on the client fails the call if 400 is not in the operation's document.
        using var http = App.Client();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Credentials.AdminKey);
        http.DefaultRequestHeaders.TryAddWithoutValidation("Idempotency-Key", "a b");
        var before = await StateSnapshot.TakeAsync(App);

        using var response = await http.PostAsync("/api/v1/payment/capture/paypal/pay_missing", null);

        await AssertRefused(response, "bad_request", before);
    }

    [Fact]
    public async Task A_body_in_a_charset_nobody_knows_is_refused_with_415_not_500()
    {
        using var http = App.Client();
        using var content = new StringContent("{\"plan\":\"basic\"}");
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=nope");
        var before = await StateSnapshot.TakeAsync(App);

        using var response = await http.PostAsync("/api/v1/payment/create-intent", content);

        await AssertRefused(response, "unsupported_media_type", before, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_form_the_reader_cannot_take_is_a_400_not_a_500()
    {
        using var dashboard = App.Client();
        using (await dashboard.SubmitForm("/admin/sign-in", "/admin/sign-in", ("credential", Credentials.AdminKey))) { }
        var token = Forms.Token(await dashboard.GetStringAsync("/admin")) ?? throw new InvalidOperationException("no sign-out form");
        // A field name over the form reader's 2 KB limit, after a valid token.
        var form = $"{Forms.TokenField}={Uri.EscapeDataString(token)}&{new string('k', 3000)}=1";

        using var response = await dashboard.PostAsync("/admin/sign-out", new StringContent(form, Encoding.ASCII, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(FuzzAssert.ProblemJson, response.Content.Headers.ContentType?.MediaType);
    }

    private static string StripeEvent(string type, string dataObject) =>
        $"{{\"id\":\"evt_{Guid.NewGuid():N}\",\"object\":\"event\",\"api_version\":\"2026-10-28.endive\",\"created\":1765100000,\"type\":\"{type}\",\"data\":{{\"object\":{dataObject}}}}}";

    private async Task<HttpResponseMessage> DeliverStripe(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var http = App.Client();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payment/webhook/stripe")
        {
            Content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.TryAddWithoutValidation(HostileWebhooks.StripeHeader,
            TimestampedHmacSignature.Header(fixture.Stripe.WebhookSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), bytes));
        return await http.SendAsync(request);
    }

    private async Task AssertRefused(HttpResponseMessage response, string code, IReadOnlyList<string> before, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}\nThe service logged: {fixture.Errors.Latest}");
        Assert.Equal(FuzzAssert.ProblemJson, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"code\":\"{code}\"", body);
        StateSnapshot.AssertSame(before, await StateSnapshot.TakeAsync(App), "the delivery");
    }

    private async Task<PaymentStatus> StatusOf(string paymentId)
    {
        await using var db = App.Db();
        return (await db.Context.Payments.FindAsync(paymentId))!.Status;
    }
}

public sealed class FuzzFindingsTests_Sqlite(FuzzSqliteApp app) : FuzzFindingsTests<FuzzSqliteApp>(app);

public sealed class FuzzFindingsTests_Postgres(FuzzPostgresApp app) : FuzzFindingsTests<FuzzPostgresApp>(app);
