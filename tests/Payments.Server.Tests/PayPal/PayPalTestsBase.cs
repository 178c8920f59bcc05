using System.Net;
using Microsoft.EntityFrameworkCore;
using Payments.Server.Data.Entities;
using Payments.Server.Tests.Fakes.PayPal;
using Payments.Server.Tests.Payments;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.PayPal;

/// <summary>Helpers for the PayPal end-to-end tests: the service, its fake PayPal, and the buyer's moves.</summary>
public abstract class PayPalTestsBase<TApp>(TApp fixture) : PaymentFlowTestsBase<TApp>(fixture) where TApp : AppFixture, IPayPalApp
{
    private readonly TApp _fixture = fixture;

    protected FakePayPal PayPal => _fixture.PayPal;

    protected async Task<(string PaymentId, string OrderId)> NewPayPalPayment(string plan = "basic")
    {
        var intent = await CreateIntent(new { plan, provider = "paypal" });
        return (intent.Str("payment_id"), intent.Str("provider_payment_id"));
    }

    protected async Task<HttpResponseMessage> CaptureRoute(string id)
    {
        using var http = App.Client();
        return await http.PostAsync($"/api/v1/payment/capture/paypal/{id}", null);
    }

    /// <summary>A payment the buyer approved and the service captured through the capture route.</summary>
    protected async Task<(string PaymentId, string OrderId, string CaptureId)> PaidPayment(string plan = "basic")
    {
        var (paymentId, orderId) = await NewPayPalPayment(plan);
        PayPal.Approve(orderId);
        var response = await CaptureRoute(orderId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("succeeded", (await response.Body()).Str("status"));
        return (paymentId, orderId, PayPal.State.CaptureOf(orderId).Id);
    }

    protected async Task<PaymentEvent> EventRow(string eventId)
    {
        await using var db = App.Db();
        return await db.Context.PaymentEvents.AsNoTracking().SingleAsync(e => e.ExternalEventId == eventId);
    }

    protected static async Task<(HttpStatusCode Status, string? Outcome, string? Code)> Read(HttpResponseMessage response)
    {
        var body = await response.Body();
        string? S(string name) => body.ValueKind == System.Text.Json.JsonValueKind.Object && body.TryGetProperty(name, out var v) ? v.GetString() : null;
        return (response.StatusCode, S("outcome"), S("code"));
    }
}
