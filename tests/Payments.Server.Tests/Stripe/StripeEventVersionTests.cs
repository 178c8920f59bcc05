using Payments.Core.Money;
using Payments.Core.Providers;
using Payments.Providers.Common;
using Payments.Providers.Stripe;
using Payments.Server.Tests.Fakes.Stripe;
using Sdk = global::Stripe;

namespace Payments.Server.Tests.Stripe;

/// <summary>
/// Events in API version 2026-10-28.endive (the version the Dashboard endpoint must use): Stripe.net,
/// which insists on its own version, reads every event the fake emits, and our parser reads the
/// same ids, amounts and references from them.
/// </summary>
public class StripeEventVersionTests(FakeStripeServer server) : IClassFixture<FakeStripeServer>
{
    private FakeStripe Stripe => server.Stripe;

    [Fact]
    public async Task Every_event_of_a_paid_and_refunded_payment_reads_the_same_in_Stripe_net_and_in_our_parser()
    {
        var options = new StripeOptions { Enabled = true, SecretKey = Stripe.SecretKey, WebhookSecret = Stripe.WebhookSecret, ApiBase = Stripe.BaseAddress };
        var provider = new StripeProvider(options, new NewClients(), TimeProvider.System);
        var id = "pay_" + Guid.NewGuid().ToString("N");
        var session = await provider.CreateCheckoutAsync(new CheckoutRequest(id, Money.Of(1900, "EUR"), "Basic plan",
            new Uri("http://127.0.0.1/thanks"), new Uri("http://127.0.0.1/cancel"), $"{id}-checkout"), default);
        var before = Stripe.Events.Count;
        Stripe.Pay(session.ProviderPaymentId);
        var intentId = Stripe.IntentIdOf(session.ProviderPaymentId);
        await provider.RefundAsync(new RefundRequest(id, session.ProviderPaymentId, intentId, Money.Of(500, "EUR"), $"{id}-r1"), default);
        var events = Stripe.Events.Skip(before).ToList();
        Assert.Equal(["charge.succeeded", "payment_intent.succeeded", "checkout.session.completed", "charge.refunded"], events.Select(e => e.Type));

        foreach (var e in events)
        {
            var json = System.Text.Encoding.UTF8.GetString(e.Body);
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var header = TimestampedHmacSignature.Header(Stripe.WebhookSecret, now, e.Body);
            // throwOnApiVersionMismatch: the event's version must be the SDK's own.
            var theirs = Sdk.EventUtility.ConstructEvent(json, header, Stripe.WebhookSecret, 300, now, throwOnApiVersionMismatch: true);
            var ours = StripeEvents.Parse(e.Body, out var why);
            Assert.True(ours is not null, why);
            Assert.Equal((StripeOptions.ApiVersion, theirs.Id, theirs.Type), (theirs.ApiVersion, ours.EventId, ours.EventType));

            switch (theirs.Data.Object)
            {
                case Sdk.Checkout.Session s:
                    Assert.Equal((s.Id, s.Metadata["payment_id"], s.PaymentIntentId), (ours.ProviderPaymentId, ours.PaymentId, ours.ProviderReference));
                    Assert.Equal(Money.Of(s.AmountTotal!.Value, s.Currency.ToUpperInvariant()), ours.Amount);
                    Assert.Equal(("complete", "paid", ProviderEventKind.PaymentSucceeded), (s.Status, s.PaymentStatus, ours.Kind));
                    break;
                case Sdk.PaymentIntent pi:
                    Assert.Equal((pi.Id, pi.Metadata["payment_id"], pi.Id), (ours.ProviderPaymentId, ours.PaymentId, ours.ProviderReference));
                    Assert.Equal(Money.Of(pi.AmountReceived, pi.Currency.ToUpperInvariant()), ours.Amount);
                    break;
                case Sdk.Charge charge when e.Type == "charge.refunded":
                    Assert.Equal((charge.PaymentIntentId, charge.Metadata["payment_id"]), (ours.ProviderReference, ours.PaymentId));
                    Assert.Equal((Money.Of(charge.AmountRefunded, "EUR"), Money.Of(charge.AmountCaptured, "EUR")), (ours.RefundedTotal, ours.Amount));
                    Assert.Equal(500, charge.AmountRefunded);
                    break;
                case Sdk.Charge:
                    Assert.Equal(ProviderEventKind.Informational, ours.Kind);
                    break;
                default:
                    Assert.Fail($"{e.Type}: Stripe.net read {theirs.Data.Object?.GetType().Name ?? "nothing"}");
                    break;
            }
        }
        Assert.Equal(id, events.Select(e => StripeEvents.Parse(e.Body, out _)!.PaymentId).Distinct().Single());
    }
}
