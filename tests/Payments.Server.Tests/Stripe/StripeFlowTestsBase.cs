using System.Net;
using System.Text.Json;
using Payments.Core.Payments;
using Payments.Server.Tests.Fakes.Stripe;
using Payments.Server.Tests.Payments;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Stripe;

/// <summary>A fixture whose service talks to a fake Stripe.</summary>
public interface IStripeApp
{
    FakeStripe Stripe { get; }
}

/// <summary>Helpers for Stripe flows over HTTP: start a hosted or embedded payment, deliver, read back.</summary>
public abstract class StripeFlowTestsBase<TApp>(TApp fixture) : PaymentFlowTestsBase<TApp>(fixture)
    where TApp : AppFixture, IStripeApp
{
    // Read once at construction: the fixture is captured by the base class already.
    protected FakeStripe Stripe { get; } = fixture.Stripe;

    /// <summary>create-intent with provider=stripe; returns our id and the Checkout Session (or intent) id.</summary>
    protected async Task<(string PaymentId, string StripeId, JsonElement Intent)> StartPayment(string plan = "basic", string mode = "hosted")
    {
        var intent = await CreateIntent(new { plan, provider = "stripe", mode });
        Assert.Equal(("stripe", "pending"), (intent.Str("provider"), intent.Str("status")));
        return (intent.Str("payment_id"), intent.Str("provider_payment_id"), intent);
    }

    /// <summary>Delivers a signed event and returns the service's status and outcome.</summary>
    protected async Task<(HttpStatusCode Status, string? Outcome)> Deliver(FakeEvent e)
    {
        using var response = await Stripe.DeliverAsync(e);
        var body = await response.Body();
        return (response.StatusCode, body.ValueKind == JsonValueKind.Object && body.TryGetProperty("outcome", out var o) ? o.GetString() : null);
    }

    protected async Task DeliverAll(IEnumerable<FakeEvent> events)
    {
        foreach (var e in events) Assert.Equal(HttpStatusCode.OK, (await Deliver(e)).Status);
    }

    protected static FakeEvent Of(IEnumerable<FakeEvent> events, string type) => events.Single(e => e.Type == type);

    protected async Task<(PaymentStatus Status, long Refunded)> StateOf(string paymentId)
    {
        var payment = await Load(paymentId);
        return (payment.Status, payment.RefundedMinor);
    }
}
