using System.Text.Json.Nodes;

namespace Payments.Server.Tests.Fakes.Stripe;

/// <summary>
/// What happens on Stripe's side of a subscription, and the events it emits (not delivered: a test delivers them, in
/// any order, as often as it likes, with <see cref="DeliverAsync"/>). Each event carries the object as it was when the
/// event was made, as Stripe's do; retrieving it answers what it is now.
/// </summary>
public sealed partial class FakeStripe
{
    /// <summary>The customer pays the first invoice on the Checkout page: the subscription is made, paid and active.</summary>
    public IReadOnlyList<FakeEvent> CompleteSubscriptionCheckout(string sessionId)
    {
        lock (_state)
        {
            var session = _subscriptionSessions[sessionId];
            if (session.Status != "open") throw new InvalidOperationException($"{sessionId} is {session.Status}, not open.");
            var now = DateTimeOffset.UtcNow;
            var s = new FakeSubscription
            {
                Id = NewId("sub_"), Customer = session.Customer, Price = session.Price, TaxRate = session.TaxRate, Metadata = session.SubscriptionMetadata,
                Created = now.ToUnixTimeSeconds(), PeriodStart = now.ToUnixTimeSeconds(),
                PeriodEnd = session.TrialDays > 0 ? now.AddDays(session.TrialDays).ToUnixTimeSeconds() : Next(session.Price, now.ToUnixTimeSeconds()),
                TrialEnd = session.TrialDays > 0 ? now.AddDays(session.TrialDays).ToUnixTimeSeconds() : null,
            };
            _subscriptions[s.Id] = s;
            List<FakeEvent> events = [Emit("customer.subscription.created", RenderSubscription(s))];
            var invoice = NewInvoice(s, s.PeriodStart, s.PeriodEnd, charged: session.TrialDays == 0);
            events.Add(Emit("invoice.finalized", RenderInvoice(invoice)));
            events.AddRange(Attempt(invoice, succeeded: true));
            s.Status = session.TrialDays > 0 ? "trialing" : "active";
            events.Add(Emit("customer.subscription.updated", RenderSubscription(s)));
            (session.Status, session.Subscription) = ("complete", s.Id);
            events.Add(Emit("checkout.session.completed", RenderSubscriptionSession(session)));
            return events;
        }
    }

    /// <summary>The next period: a new invoice, the period advanced; paid (active) or failed (past_due). One set to cancel at its period's end ends instead.</summary>
    public IReadOnlyList<FakeEvent> RenewSubscription(string subscriptionId, bool succeeded)
    {
        lock (_state)
        {
            var s = _subscriptions[subscriptionId];
            if (s.CancelAtPeriodEnd)
            {
                (s.Status, s.CanceledAt, s.CancelAtPeriodEnd) = ("canceled", s.PeriodEnd, false);
                return [Emit("customer.subscription.deleted", RenderSubscription(s))];
            }
            (s.PeriodStart, s.PeriodEnd, s.TrialEnd) = (s.PeriodEnd, Next(s.Price, s.PeriodEnd), null);
            var invoice = NewInvoice(s, s.PeriodStart, s.PeriodEnd, charged: true);
            List<FakeEvent> events = [Emit("invoice.finalized", RenderInvoice(invoice)), .. Attempt(invoice, succeeded)];
            s.Status = succeeded ? "active" : "past_due";
            events.Add(Emit("customer.subscription.updated", RenderSubscription(s)));
            return events;
        }
    }

    /// <summary>Smart Retries: the open invoice is tried again; paid makes the subscription active again.</summary>
    public IReadOnlyList<FakeEvent> RetryLatestInvoice(string subscriptionId, bool succeeded)
    {
        lock (_state)
        {
            var s = _subscriptions[subscriptionId];
            var events = Attempt(_invoices[s.LatestInvoice!], succeeded).ToList();
            if (succeeded) s.Status = "active";
            events.Add(Emit("customer.subscription.updated", RenderSubscription(s)));
            return events;
        }
    }

    /// <summary>The subscription Stripe made for a checkout session (after <see cref="CompleteSubscriptionCheckout"/>).</summary>
    public string SubscriptionOf(string sessionId)
    {
        lock (_state) return _subscriptionSessions[sessionId].Subscription!;
    }

    /// <summary>A subscription as Stripe would return it now.</summary>
    public JsonObject Subscription(string id)
    {
        lock (_state) return Snapshot(RenderSubscription(_subscriptions[id]));
    }

    /// <summary>The tax rates made, as Stripe would return them.</summary>
    public IReadOnlyList<JsonObject> TaxRates
    {
        get { lock (_state) return _taxRates.Values.Select(Snapshot).ToList(); }
    }

    private IEnumerable<FakeEvent> Attempt(FakeInvoice invoice, bool succeeded)
    {
        invoice.AttemptCount++;
        if (!succeeded) return [Emit("invoice.payment_failed", RenderInvoice(invoice))];
        (invoice.Status, invoice.AmountPaid) = ("paid", invoice.Total);
        return [Emit("invoice.paid", RenderInvoice(invoice)), Emit("invoice.payment_succeeded", RenderInvoice(invoice))];
    }

    private FakeInvoice NewInvoice(FakeSubscription s, long start, long end, bool charged)
    {
        var price = Snapshot(_prices[s.Price]);
        var subtotal = charged ? price["unit_amount"]!.GetValue<long>() : 0;
        // Stripe rounds an exclusive rate's tax on a line to the nearest unit.
        var percentage = s.TaxRate is { } rate ? _taxRates[rate]["percentage"]!.GetValue<decimal>() : 0m;
        var invoice = new FakeInvoice
        {
            Id = NewId("in_"), Customer = s.Customer, Subscription = s.Id, Currency = price["currency"]!.GetValue<string>(), Subtotal = subtotal,
            Tax = (long)Math.Round(subtotal * percentage / 100m, MidpointRounding.AwayFromZero), TaxRate = s.TaxRate, PeriodStart = start, PeriodEnd = end,
            Created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), SubscriptionMetadata = new Dictionary<string, string>(s.Metadata),
        };
        _invoices[invoice.Id] = invoice;
        s.LatestInvoice = invoice.Id;
        return invoice;
    }

    private long Next(string priceId, long from)
    {
        var recurring = Snapshot(_prices[priceId])["recurring"]!;
        var count = recurring["interval_count"]!.GetValue<long>();
        var at = DateTimeOffset.FromUnixTimeSeconds(from);
        return (recurring["interval"]!.GetValue<string>() switch
        {
            "day" => at.AddDays(count),
            "week" => at.AddDays(7 * count),
            "month" => at.AddMonths((int)count),
            _ => at.AddYears((int)count),
        }).ToUnixTimeSeconds();
    }
}
