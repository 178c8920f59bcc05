using System.Net;
using Payments.Core.Payments;
using Payments.Server.Tests.Payments;
using Payments.Server.Tests.Support;
using OperatorCli = Payments.Cli.Cli;

namespace Payments.Server.Tests.MobilePay;

/// <summary>`payments-cli mobilepay …` against the database and the fake Vipps a running service uses.</summary>
public class MobilePayCliTests(MobilePaySqliteApp app) : PaymentFlowTestsBase<MobilePaySqliteApp>(app)
{
    private readonly MobilePaySqliteApp _app = app;

    private async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var settings = new Dictionary<string, string?>(_app.App.Database.Settings);
        foreach (var (key, value) in _app.ServiceSettings) settings[key] = value;
        var code = await OperatorCli.RunAsync(args, output, error, settings);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_webhook_registered_by_the_cli_is_trusted_by_the_running_service_from_its_first_delivery()
    {
        var intent = await CreateIntent(new { plan = "basic", provider = "mobilepay" });
        var reference = intent.Str("provider_payment_id");
        // Before any registration the service knows no secret, and says how to get one (it has now read the empty store).
        var early = await _app.MobilePay.DeliverAsync(_app.MobilePay.Sign(
            new Fakes.MobilePay.FakeVippsWebhook("none", _app.WebhookUrl, [], "unregistered"), "{}"u8.ToArray()));
        var readAt = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Contains("register-webhook", await early.Content.ReadAsStringAsync());

        var (code, output, error) = await Run("mobilepay", "register-webhook", "--url", _app.App.BaseAddress.ToString());

        Assert.True(code == 0, error);
        var registered = _app.MobilePay.Webhook();
        Assert.Contains($"id:     {registered.Id}", output);
        Assert.Equal(_app.WebhookUrl, registered.Url); // a bare host gets the webhook route
        Assert.Equal(8, registered.Events.Count);
        Assert.DoesNotContain(registered.Secret, output); // stored, never printed

        // The service re-reads its secrets (at most once a second) when a delivery matches none it knows.
        if (readAt.Elapsed < TimeSpan.FromSeconds(1.1)) await Task.Delay(TimeSpan.FromSeconds(1.1) - readAt.Elapsed);
        var authorized = Assert.Single(_app.MobilePay.Authorize(reference));
        var response = await _app.MobilePay.DeliverAsync(authorized);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(PaymentStatus.Succeeded, (await Load(intent.Str("payment_id"))).Status);
    }

    [Theory]
    [InlineData("http://shop.example/api/v1/payment/webhook/mobilepay", "https")]
    [InlineData("not a url", "https")]
    public async Task A_webhook_url_Vipps_would_not_call_is_refused_before_anything_is_sent(string url, string why)
    {
        var registrations = _app.MobilePay.RequestsTo("POST", "/webhooks/v1/webhooks").Count;
        var (code, _, error) = await Run("mobilepay", "register-webhook", "--url", url);
        Assert.Equal(3, code);
        Assert.Contains(why, error);
        Assert.Equal(registrations, _app.MobilePay.RequestsTo("POST", "/webhooks/v1/webhooks").Count);
    }

    [Fact]
    public async Task Cancel_releases_an_authorization_that_will_not_be_captured_and_cancels_the_payment()
    {
        var intent = await CreateIntent(new { plan = "basic", provider = "mobilepay" });
        var (paymentId, reference) = (intent.Str("payment_id"), intent.Str("provider_payment_id"));
        _app.MobilePay.Authorize(reference); // approved; its webhook is not delivered

        var (code, output, error) = await Run("mobilepay", "cancel", paymentId);

        Assert.True(code == 0, error);
        Assert.Contains("pending → canceled", output);
        Assert.Equal(PaymentStatus.Canceled, (await Load(paymentId)).Status);
        var released = _app.MobilePay.Payment(reference);
        Assert.Equal(("TERMINATED", 1900L, 0L), (released.State, released.Cancelled, released.Captured));
        Assert.Equal($"{paymentId}-cancel", Assert.Single(_app.MobilePay.RequestsTo("POST", $"/epayment/v1/payments/{reference}/cancel")).Header("Idempotency-Key"));
    }

    [Fact]
    public async Task Cancel_names_a_payment_that_is_not_a_Vipps_MobilePay_payment_as_not_found()
    {
        var dummy = await CreateIntent(new { plan = "basic", provider = "dummy" });
        var (code, _, error) = await Run("mobilepay", "cancel", dummy.Str("payment_id"));
        Assert.Equal(3, code);
        Assert.Contains("No Vipps MobilePay payment", error);
    }
}
