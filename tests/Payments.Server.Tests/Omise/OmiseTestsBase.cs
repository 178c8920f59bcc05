using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payments.Server.Data.Entities;
using Payments.Server.Tests.Fakes.Omise;
using Payments.Server.Tests.Payments;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Omise;

/// <summary>Helpers for the Omise end-to-end tests: the service, its fake Omise, and the buyer's moves.</summary>
public abstract class OmiseTestsBase<TApp>(TApp fixture) : PaymentFlowTestsBase<TApp>(fixture) where TApp : AppFixture, IOmiseApp
{
    private readonly TApp _fixture = fixture;

    protected FakeOmise Omise => _fixture.Omise;
    protected bool Signed => _fixture.Signed;

    protected async Task<(string PaymentId, string ChargeId, Uri RedirectUrl)> NewOmisePayment(string plan = "baht")
    {
        var intent = await CreateIntent(new { plan, provider = "omise" });
        return (intent.Str("payment_id"), intent.Str("provider_payment_id"), new Uri(intent.Str("redirect_url")));
    }

    /// <summary>The buyer on Omise's page: looks at it, then pays (or fails); the page posts charge.complete to the service.</summary>
    protected async Task<OmiseDeliveryAnswer> PayOnHostedPage(Uri page, string outcome = "successful")
    {
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(page)).StatusCode);
        var before = Omise.Delivered.Count;
        var pay = await browser.PostAsync(page, new FormUrlEncodedContent([new("outcome", outcome)]));
        Assert.Equal(HttpStatusCode.Found, pay.StatusCode);
        Assert.Contains("/payments/thanks?payment_id=", pay.Headers.Location!.ToString());
        Assert.Equal(before + 1, Omise.Delivered.Count);
        return Omise.Delivered.Last();
    }

    /// <summary>A payment the buyer paid on the hosted page, settled by the webhook the page posted.</summary>
    protected async Task<(string PaymentId, string ChargeId, OmiseDeliveryAnswer Webhook)> PaidPayment(string plan = "baht")
    {
        var (paymentId, chargeId, page) = await NewOmisePayment(plan);
        var webhook = await PayOnHostedPage(page);
        Assert.Equal(HttpStatusCode.OK, webhook.Status);
        return (paymentId, chargeId, webhook);
    }

    /// <summary>The de-duplication id the service gives a delivery: Omise's when signed, one made from Omise's answer when not.</summary>
    protected string ExpectedEventId(OmiseDelivery delivery, string chargeId, string status, long refunded = 0) =>
        Signed ? delivery.EventId : $"refetch:{chargeId}:{status}:{refunded}";

    protected async Task<PaymentEvent> EventRow(string eventId)
    {
        await using var db = App.Db();
        return await db.Context.PaymentEvents.AsNoTracking().SingleAsync(e => e.ExternalEventId == eventId);
    }

    protected static async Task<(HttpStatusCode Status, string? Outcome, string? Code)> Read(HttpResponseMessage response)
    {
        var body = await response.Body();
        return (response.StatusCode, Field(body, "outcome"), Field(body, "code"));
    }

    protected static (HttpStatusCode Status, string? Outcome, string? Code) Read(OmiseDeliveryAnswer answer)
    {
        var body = string.IsNullOrEmpty(answer.Body) ? default : JsonDocument.Parse(answer.Body).RootElement;
        return (answer.Status, Field(body, "outcome"), Field(body, "code"));
    }

    private static string? Field(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v) ? v.GetString() : null;
}
