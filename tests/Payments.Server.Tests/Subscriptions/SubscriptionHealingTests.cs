using Microsoft.EntityFrameworkCore;
using Payments.Server.Features.Subscriptions;
using Payments.Server.Tests.Billing;
using Payments.Server.Tests.Fakes.Stripe;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Subscriptions;

/// <summary>
/// What keeps subscriptions right when deliveries go wrong: a record Stripe cannot be asked about stays queued and the
/// worker applies it later; a webhook that never comes is healed by the reconciliation sweep; concurrent deliveries for
/// one customer are applied one at a time (one payment per invoice).
/// </summary>
public abstract class SubscriptionHealingTests<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : BillingApp
{
    private PaymentsApp App => fixture.App;
    private FakeStripe Stripe => fixture.Stripe;

    private async Task<(SubscriptionClient User, string Id, string StripeId)> Active()
    {
        var user = new SubscriptionClient(App, SubscriptionClient.NewUser());
        await user.SetBillingInfo(null);
        var created = await user.Subscribe("stripe");
        var session = new Uri(created.Str("redirect_url")).Segments[^1];
        foreach (var e in Stripe.CompleteSubscriptionCheckout(session))
        {
            using var response = await Stripe.DeliverAsync(e);
            Assert.True(response.IsSuccessStatusCode);
        }
        Assert.Equal("active", (await user.Get(created.Str("subscription_id"))).Str("status"));
        return (user, created.Str("subscription_id"), Stripe.SubscriptionOf(session));
    }

    private async Task<int> PaymentsOf(string user)
    {
        await using var db = App.Db();
        return await db.Context.Payments.CountAsync(p => p.OwnerId == user);
    }

    [Fact]
    public async Task An_event_whose_record_Stripe_cannot_give_now_stays_queued_and_the_worker_applies_it_later()
    {
        var (user, id, stripeId) = await Active();
        using var _ = user;
        var renewal = Stripe.RenewSubscription(stripeId, succeeded: true);
        var paid = renewal.Single(e => e.Type == "invoice.paid");
        Stripe.Fail("/v1/invoices/", times: 1, status: 503, shouldRetry: false);
        using (var response = await Stripe.DeliverAsync(paid))
            Assert.Equal("queued", (await response.Body()).Str("outcome"));
        Assert.Equal(1, await PaymentsOf(user.User));
        await using (var db = App.Db())
            Assert.Equal(1, await db.Context.BillingEventQueue.CountAsync(q => q.EventId == paid.Id && q.Attempts == 1 && q.LastError != null));

        await Task.Delay(TimeSpan.FromSeconds(1.2)); // the retry's backoff (SUBSCRIPTION_WORKER_INTERVAL_SECONDS=1)
        await App.Get<SubscriptionWorker>().RunOnceAsync(CancellationToken.None);
        Assert.Equal(2, await PaymentsOf(user.User));
        await using (var db = App.Db())
        {
            Assert.False(await db.Context.BillingEventQueue.AnyAsync(q => q.EventId == paid.Id));
            Assert.Equal("applied", await db.Context.PaymentEvents.Where(e => e.ExternalEventId == paid.Id).Select(e => e.Outcome).SingleAsync());
        }
    }

    [Fact]
    public async Task A_renewal_whose_webhooks_never_come_is_found_by_the_reconciliation_sweep()
    {
        var (user, id, stripeId) = await Active();
        using var _ = user;
        Stripe.RenewSubscription(stripeId, succeeded: false); // its events are never delivered
        Assert.Equal("active", (await user.Get(id)).Str("status"));

        await App.Get<SubscriptionWorker>().RunOnceAsync(CancellationToken.None);
        Assert.Equal("past_due", (await user.Get(id)).Str("status"));
        Assert.Equal(2, (await user.Invoices(id)).GetProperty("items").GetArrayLength());

        Stripe.RetryLatestInvoice(stripeId, succeeded: true);
        await App.Get<SubscriptionWorker>().RunOnceAsync(CancellationToken.None);
        Assert.Equal("active", (await user.Get(id)).Str("status"));
        Assert.Equal(2, await PaymentsOf(user.User));
    }

    [Fact]
    public async Task Concurrent_deliveries_for_one_customer_are_applied_one_at_a_time_with_one_payment_per_invoice()
    {
        var (user, id, stripeId) = await Active();
        using var _ = user;
        var events = Stripe.RenewSubscription(stripeId, succeeded: false).Concat(Stripe.RetryLatestInvoice(stripeId, succeeded: true)).ToList();
        var responses = await Task.WhenAll(events.Concat(events).Select(async e =>
        {
            using var response = await Stripe.DeliverAsync(e);
            return $"{(int)response.StatusCode} {e.Type}: {await response.Content.ReadAsStringAsync()}";
        }));
        Assert.True(responses.All(a => a.StartsWith("200 ", StringComparison.Ordinal)), string.Join("\n", responses));
        await App.Get<SubscriptionWorker>().RunOnceAsync(CancellationToken.None); // anything a busy moment left queued
        Assert.Equal("active", (await user.Get(id)).Str("status"));
        Assert.Equal(2, await PaymentsOf(user.User));
        await using var db = App.Db();
        Assert.Equal(2, await db.Context.SubscriptionInvoices.CountAsync(i => i.SubscriptionId == id && i.PaymentId != null));
    }
}

public sealed class SubscriptionHealingSqliteTests(BillingSqliteApp fixture) : SubscriptionHealingTests<BillingSqliteApp>(fixture);

public sealed class SubscriptionHealingPostgresTests(BillingPostgresApp fixture) : SubscriptionHealingTests<BillingPostgresApp>(fixture);
