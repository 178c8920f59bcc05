using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payments.Server.Data.Entities;
using Payments.Server.Tests.Fakes.MobilePay;
using Payments.Server.Tests.Payments;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.MobilePay;

/// <summary>Helpers for the Vipps MobilePay end-to-end tests: the service, its fake Vipps, and the customer's moves.</summary>
public abstract class MobilePayTestsBase<TApp>(TApp fixture) : PaymentFlowTestsBase<TApp>(fixture), IAsyncLifetime
    where TApp : AppFixture, IMobilePayApp
{
    private readonly TApp _fixture = fixture;

    protected FakeMobilePay Vipps => _fixture.MobilePay;

    public async ValueTask InitializeAsync() => await _fixture.WebhookRegistered();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    protected async Task<(string PaymentId, string Reference, string RedirectUrl)> NewPayment(string plan = "basic")
    {
        var intent = await CreateIntent(new { plan, provider = "mobilepay" });
        return (intent.Str("payment_id"), intent.Str("provider_payment_id"), intent.Str("redirect_url"));
    }

    /// <summary>The customer opens Vipps's landing page and approves (or cancels); Vipps sends the webhook, then the browser back to us.</summary>
    protected async Task<(HttpResponseMessage Page, HttpResponseMessage Redirect, HttpResponseMessage Webhook)> OnLandingPage(string redirectUrl, string action = "approve")
    {
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var page = await browser.GetAsync(redirectUrl);
        await page.Content.LoadIntoBufferAsync();
        var before = Vipps.LandingDeliveries.Count;
        var redirect = await browser.PostAsync(redirectUrl, new FormUrlEncodedContent([new("action", action)]));
        var webhook = Vipps.LandingDeliveries.Skip(before).Single().Response;
        return (page, redirect, webhook);
    }

    /// <summary>A payment the customer approved and the service captured when the authorization's webhook came.</summary>
    protected async Task<(string PaymentId, string Reference)> PaidPayment(string plan = "basic")
    {
        var (paymentId, reference, redirect) = await NewPayment(plan);
        var (_, _, webhook) = await OnLandingPage(redirect);
        Assert.Equal((HttpStatusCode.OK, "applied"), (webhook.StatusCode, (await Read(webhook)).Outcome));
        return (paymentId, reference);
    }

    protected Task<HttpResponseMessage> Deliver(VippsDelivery delivery) => Vipps.DeliverAsync(delivery);

    protected async Task<HttpResponseMessage> CaptureRoute(string id)
    {
        using var http = App.Client();
        return await http.PostAsync($"/api/v1/payment/capture/mobilepay/{id}", null);
    }

    protected async Task<PaymentEvent> EventRow(string eventId)
    {
        await using var db = App.Db();
        return await db.Context.PaymentEvents.AsNoTracking().SingleAsync(e => e.ExternalEventId == eventId);
    }

    protected static string EventId(VippsDelivery delivery) =>
        $"{delivery.Json["reference"]}/{delivery.Json["name"]}/{delivery.Json["pspReference"]}";

    protected static async Task<(HttpStatusCode Status, string? Outcome, string? Code)> Read(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var body = string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement;
        string? S(string name) => body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v) ? v.GetString() : null;
        return (response.StatusCode, S("outcome"), S("code"));
    }
}
