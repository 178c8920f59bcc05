using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payments.Server.Tests.Billing;
using Payments.Server.Tests.Fakes.Stripe;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Subscriptions;

/// <summary>
/// The same flow against a fake Stripe speaking Billing's wire format: Checkout in mode=subscription, events delivered
/// twice and in reverse order (state never goes backwards, one payment per invoice), a failed renewal and its retry,
/// cancel at period end, the reverse charge, VAT through a Stripe tax rate, and the billing portal.
/// </summary>
public abstract class StripeSubscriptionTests<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : BillingApp
{
    private PaymentsApp App => fixture.App;
    private FakeStripe Stripe => fixture.Stripe;

    /// <summary>Each event twice, the whole list in reverse order: the worst a provider's retries can do.</summary>
    private async Task DeliverTwiceInReverse(IReadOnlyList<FakeEvent> events)
    {
        foreach (var e in events.Reverse())
        {
            using var first = await Stripe.DeliverAsync(e);
            Assert.True(first.IsSuccessStatusCode, $"{e}: {(int)first.StatusCode} {await first.Content.ReadAsStringAsync()}");
            using var again = await Stripe.DeliverAsync(e);
            var body = await again.Body();
            Assert.Equal("duplicate", body.Str("outcome"));
        }
    }

    private async Task<(SubscriptionClient User, string Id, string Session)> Subscribe(string? vat)
    {
        var user = new SubscriptionClient(App, SubscriptionClient.NewUser());
        await user.SetBillingInfo(vat);
        var created = await user.Subscribe("stripe");
        Assert.Equal("incomplete", created.Str("status"));
        var redirect = new Uri(created.Str("redirect_url"));
        Assert.Equal("checkout.stripe.com", redirect.Host);
        return (user, created.Str("subscription_id"), redirect.Segments[^1]);
    }

    private async Task<(int Payments, int Invoices)> Counts(string userId, string subscriptionId)
    {
        await using var db = App.Db();
        return (await db.Context.Payments.CountAsync(p => p.OwnerId == userId),
            await db.Context.SubscriptionInvoices.CountAsync(i => i.SubscriptionId == subscriptionId));
    }

    [Fact]
    public async Task Stripe_events_delivered_twice_and_in_reverse_order_never_move_state_backwards_and_make_one_payment_per_invoice()
    {
        var vat = SubscriptionClient.GermanVat();
        var (user, id, session) = await Subscribe(vat);
        using var _ = user;
        var checkout = Stripe.RequestsTo("/v1/checkout/sessions").Last();
        Assert.Equal(("subscription", id, id, null), (checkout["mode"], checkout["metadata[subscription_id]"], checkout["subscription_data[metadata][subscription_id]"],
            checkout["line_items[0][tax_rates][0]"])); // reverse charge: no VAT rate on the line

        await DeliverTwiceInReverse(Stripe.CompleteSubscriptionCheckout(session));
        var stripeId = Stripe.SubscriptionOf(session);
        var active = await user.Get(id);
        Assert.Equal(("active", "stripe"), (active.Str("status"), active.Str("provider")));
        var firstEnd = active.GetProperty("current_period_end").GetDateTimeOffset();
        Assert.Equal(Stripe.Subscription(stripeId)["items"]!["data"]![0]!["current_period_end"]!.GetValue<long>(), firstEnd.ToUnixTimeSeconds());
        Assert.Equal((1, 1), await Counts(user.User, id));

        var renewal = Stripe.RenewSubscription(stripeId, succeeded: false);
        await DeliverTwiceInReverse(renewal);
        Assert.Equal("past_due", (await user.Get(id)).Str("status"));
        Assert.Equal((1, 2), await Counts(user.User, id));

        // An old snapshot of the subscription ("active", the first period) arriving late under a new event id: we ask Stripe, which says past_due.
        var stale = JsonDocument.Parse(Stripe.Events.First(e => e.Type == "customer.subscription.updated").Body).RootElement.GetProperty("data").GetProperty("object");
        using (var late = await Stripe.DeliverAsync(Stripe.Emit("customer.subscription.updated", System.Text.Json.Nodes.JsonNode.Parse(stale.GetRawText())!.AsObject())))
            Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Equal("past_due", (await user.Get(id)).Str("status"));

        await DeliverTwiceInReverse(Stripe.RetryLatestInvoice(stripeId, succeeded: true));
        var recovered = await user.Get(id);
        Assert.Equal("active", recovered.Str("status"));
        Assert.Equal(firstEnd, recovered.GetProperty("current_period_start").GetDateTimeOffset());
        Assert.True(recovered.GetProperty("current_period_end").GetDateTimeOffset() > firstEnd);
        Assert.Equal((2, 2), await Counts(user.User, id));

        // Everything again, in reverse, under the same event ids: nothing changes.
        foreach (var e in Stripe.Events.Reverse())
        {
            using var replay = await Stripe.DeliverAsync(e);
            Assert.True(replay.IsSuccessStatusCode);
        }
        Assert.Equal("active", (await user.Get(id)).Str("status"));
        Assert.Equal((2, 2), await Counts(user.User, id));

        var invoices = (await user.Invoices(id)).GetProperty("items").EnumerateArray().ToList();
        Assert.All(invoices, i => Assert.Equal(("paid", 2900L, 0L, 2900L), (i.Str("status"), i.GetProperty("net").GetInt64(), i.GetProperty("vat").GetInt64(),
            i.GetProperty("amount_paid").GetInt64())));
        var receipt = await user.Receipt(invoices[1].Str("payment_id"));
        Assert.Equal(("succeeded", true, vat), (receipt.Str("status"), receipt.GetProperty("tax").GetProperty("reverse_charge").GetBoolean(),
            receipt.GetProperty("tax").Str("customer_vat_id")));
        Assert.Contains("Reverse charge", await user.ReceiptHtml(invoices[1].Str("payment_id")));

        var canceling = await user.Cancel(id, atPeriodEnd: true);
        Assert.Equal(("active", true), (canceling.Str("status"), canceling.GetProperty("cancel_at_period_end").GetBoolean()));
        Assert.Equal("true", Stripe.RequestsTo($"/v1/subscriptions/{stripeId}").Last()["cancel_at_period_end"]);
        await DeliverTwiceInReverse(Stripe.RenewSubscription(stripeId, succeeded: true)); // the period ends
        Assert.Equal("canceled", (await user.Get(id)).Str("status"));
        Assert.Equal((2, 2), await Counts(user.User, id));
    }

    [Fact]
    public async Task A_consumer_is_charged_VAT_through_a_Stripe_tax_rate_and_the_payment_is_the_gross_amount()
    {
        var (user, id, session) = await Subscribe(vat: null);
        using var _ = user;
        var rate = Stripe.RequestsTo("/v1/checkout/sessions").Last()["line_items[0][tax_rates][0]"];
        var taxRate = Assert.Single(Stripe.TaxRates, t => t["id"]!.GetValue<string>() == rate);
        Assert.Equal((19m, false, "DE"), (taxRate["percentage"]!.GetValue<decimal>(), taxRate["inclusive"]!.GetValue<bool>(), taxRate["country"]!.GetValue<string>()));

        await DeliverTwiceInReverse(Stripe.CompleteSubscriptionCheckout(session));
        var invoice = (await user.Invoices(id)).GetProperty("items")[0];
        Assert.Equal((2900L, 551L, 3451L, 3451L), (invoice.GetProperty("net").GetInt64(), invoice.GetProperty("vat").GetInt64(),
            invoice.GetProperty("total").GetInt64(), invoice.GetProperty("amount_paid").GetInt64()));
        var receipt = await user.Receipt(invoice.Str("payment_id"));
        Assert.Equal(("succeeded", 3451L), (receipt.Str("status"), receipt.GetProperty("amount").GetInt64()));
    }

    [Fact]
    public async Task The_billing_portal_is_a_Stripe_billing_portal_session_for_the_users_customer()
    {
        var (user, _, _) = await Subscribe(vat: null);
        using var __ = user;
        var portal = await user.Send(HttpMethod.Post, "/api/v1/billing/portal", new { provider = "stripe" });
        Assert.StartsWith("https://billing.stripe.com/p/session/", portal.Str("url"));
        var sent = Stripe.RequestsTo("/v1/billing_portal/sessions").Last();
        Assert.StartsWith("cus_", sent["customer"]);
    }
}

public sealed class StripeSubscriptionSqliteTests(BillingSqliteApp fixture) : StripeSubscriptionTests<BillingSqliteApp>(fixture);

public sealed class StripeSubscriptionPostgresTests(BillingPostgresApp fixture) : StripeSubscriptionTests<BillingPostgresApp>(fixture);
