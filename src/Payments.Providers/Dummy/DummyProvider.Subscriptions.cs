using Payments.Core;
using Payments.Core.Billing;
using Payments.Core.Providers;
using Payments.Providers.Common;

namespace Payments.Providers.Dummy;

/// <summary>The dummy's subscription (<c>dmsub_…</c>), kept as Stripe keeps one: status, period, the latest invoice.</summary>
/// <param name="SubscriptionId">Ours (<c>sub_…</c>), as Stripe keeps it in metadata.</param>
public sealed record DummySubscription(
    string SubscriptionId, string CustomerId, string PriceId, long AmountMinor, string Currency, int TaxRateBasisPoints,
    string Interval, int IntervalCount, string Status, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, bool CancelAtPeriodEnd,
    DateTimeOffset? TrialEnd, DateTimeOffset? CanceledAt, string? LatestInvoice, string SuccessUrl, string CancelUrl);

/// <summary>The dummy's invoice (<c>dminv_…</c>): net, tax and total of one period; open until paid.</summary>
public sealed record DummyInvoice(
    string Subscription, string CustomerId, string Status, long AmountDue, long AmountPaid, long Tax, string Currency,
    DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, int AttemptCount);

/// <summary>What a simulated step did at the dummy: the signed events it "sends", in order, and the subscription afterwards.</summary>
public sealed record SimulatedBilling(string ProviderSubscriptionId, DummySubscription Subscription, IReadOnlyList<SimulatedEvent> Events);

/// <summary>One signed webhook body the dummy sends, ready to post to our intake.</summary>
public sealed record SimulatedEvent(string Type, byte[] Body, string SignatureHeader);

/// <summary>
/// Subscriptions on the dummy (<see cref="ISubscriptionProvider"/>), so a newcomer tries recurring billing with no account.
/// A subscription starts <c>incomplete</c> with its first invoice open; the dummy's page pays it (or fails it), and
/// <see cref="RenewAsync"/> bills the next period (paid → <c>active</c>, failed → <c>past_due</c>; renewing again retries
/// the open invoice). Each step "sends" signed webhooks naming only ids, like Stripe's thin events: the service asks the
/// dummy what the records are now. A person clicks these pages: two simultaneous clicks on one subscription may race,
/// which a real provider would not let happen and the service's rules absorb (it applies what it fetches).
/// </summary>
public sealed partial class DummyProvider
{
    public const string SubscriptionKind = "subscription";
    public const string InvoiceKind = "invoice";

    public async Task<SubscriptionCheckout> CreateSubscriptionCheckoutAsync(SubscriptionCheckoutRequest request, CancellationToken cancellationToken)
    {
        var price = await FindAsync<DummyPrice>(request.ProviderPriceId, PriceKind, cancellationToken)
                    ?? throw new ProviderErrorException(ProviderName, $"No such price: '{request.ProviderPriceId}'.");
        if (await FindAsync<DummyCustomer>(request.ProviderCustomerId, CustomerKind, cancellationToken) is null)
            throw new ProviderErrorException(ProviderName, $"No such customer: '{request.ProviderCustomerId}'.");
        var now = Now();
        var trialEnd = request.TrialDays > 0 ? now.AddDays(request.TrialDays) : (DateTimeOffset?)null;
        var end = trialEnd ?? Advance(now, price.Interval, price.IntervalCount);
        var subscription = new DummySubscription(request.SubscriptionId, request.ProviderCustomerId, request.ProviderPriceId, price.AmountMinor,
            price.Currency, request.TaxRateBasisPoints, price.Interval, price.IntervalCount, "incomplete", now, end, false, trialEnd, null, null,
            request.SuccessUrl.AbsoluteUri, request.CancelUrl.AbsoluteUri);
        var created = await CreateAsync("dmsub", SubscriptionKind, request.IdempotencyKey, subscription, cancellationToken);
        var kept = Read<DummySubscription>(created);
        if (kept.LatestInvoice is null)
        {
            // A trial's first invoice is for nothing; it is "paid" on the page all the same, as Stripe Checkout collects a card.
            var invoice = await NewInvoiceAsync(created.Id, kept, now, end, trialEnd is null, $"{request.IdempotencyKey}-invoice", cancellationToken);
            await Billing.UpdateAsync(created.Id, Write(kept with { LatestInvoice = invoice }), cancellationToken);
        }
        return new SubscriptionCheckout(created.Id, new Uri(request.SuccessUrl, $"/payments/simulate/subscriptions/{created.Id}"), created.Id);
    }

    public async Task<ProviderSubscriptionCheckout?> GetSubscriptionCheckoutAsync(string providerCheckoutId, CancellationToken cancellationToken) =>
        await FindAsync<DummySubscription>(providerCheckoutId, SubscriptionKind, cancellationToken) is { } s
            ? new ProviderSubscriptionCheckout(providerCheckoutId, providerCheckoutId, s.CustomerId, s.SubscriptionId)
            : null;

    public async Task<ProviderSubscription> CancelSubscriptionAsync(string providerSubscriptionId, bool atPeriodEnd, string idempotencyKey,
        CancellationToken cancellationToken)
    {
        var s = await SubscriptionAsync(providerSubscriptionId, cancellationToken);
        if (s.Status is "canceled" or "incomplete_expired") return Normalize(providerSubscriptionId, s);
        var now = Now();
        var changed = atPeriodEnd ? s with { CancelAtPeriodEnd = true } : s with { Status = "canceled", CanceledAt = now, CancelAtPeriodEnd = false };
        await Billing.UpdateAsync(providerSubscriptionId, Write(changed), cancellationToken);
        return Normalize(providerSubscriptionId, changed);
    }

    public async Task<ProviderSubscription> ResumeSubscriptionAsync(string providerSubscriptionId, string idempotencyKey, CancellationToken cancellationToken)
    {
        var s = await SubscriptionAsync(providerSubscriptionId, cancellationToken);
        if (s.Status is "canceled" or "incomplete_expired")
            throw new ProviderErrorException(ProviderName, $"Subscription {providerSubscriptionId} has ended; it cannot be resumed.");
        var changed = s with { CancelAtPeriodEnd = false };
        await Billing.UpdateAsync(providerSubscriptionId, Write(changed), cancellationToken);
        return Normalize(providerSubscriptionId, changed);
    }

    public async Task<ProviderSubscription?> GetSubscriptionAsync(string providerSubscriptionId, CancellationToken cancellationToken) =>
        await FindAsync<DummySubscription>(providerSubscriptionId, SubscriptionKind, cancellationToken) is { } s
            ? Normalize(providerSubscriptionId, s)
            : null;

    public async Task<ProviderInvoice?> GetInvoiceAsync(string providerInvoiceId, CancellationToken cancellationToken)
    {
        if (await FindAsync<DummyInvoice>(providerInvoiceId, InvoiceKind, cancellationToken) is not { } i) return null;
        var currency = Core.Money.Currency.Of(i.Currency);
        var status = i.Status switch { "paid" => ProviderInvoiceStatus.Paid, "open" => ProviderInvoiceStatus.Open, "void" => ProviderInvoiceStatus.Void, _ => ProviderInvoiceStatus.Unknown };
        return new ProviderInvoice(providerInvoiceId, i.Subscription, i.CustomerId, status, new(i.AmountDue, currency), new(i.AmountPaid, currency),
            new(i.Tax, currency), i.PeriodStart, i.PeriodEnd, i.AttemptCount);
    }

    /// <summary>The dummy's portal is a page of ours that lists the customer's subscriptions.</summary>
    public Task<Uri> CreatePortalSessionAsync(string providerCustomerId, Uri returnUrl, CancellationToken cancellationToken) =>
        Task.FromResult(new Uri(returnUrl, $"/payments/simulate/portal/{providerCustomerId}?return_url={Uri.EscapeDataString(returnUrl.AbsoluteUri)}"));

    /// <summary>The checkout page's choice: the first invoice paid (→ active, or trialing) or its payment failed (stays incomplete).</summary>
    public async Task<SimulatedBilling?> PayFirstInvoiceAsync(string providerSubscriptionId, bool succeeded, CancellationToken cancellationToken)
    {
        if (await FindAsync<DummySubscription>(providerSubscriptionId, SubscriptionKind, cancellationToken) is not { } s) return null;
        if (s.Status != "incomplete" || s.LatestInvoice is not { } invoiceId)
            return new SimulatedBilling(providerSubscriptionId, s, []); // already paid (or ended): the page shows it as it is
        var events = new List<SimulatedEvent>();
        var paid = await AttemptAsync(invoiceId, succeeded, events, providerSubscriptionId, s.CustomerId, cancellationToken);
        if (paid)
        {
            s = s with { Status = s.TrialEnd is not null ? "trialing" : "active" };
            await Billing.UpdateAsync(providerSubscriptionId, Write(s), cancellationToken);
            events.Add(Event("customer.subscription.updated", providerSubscriptionId, null, s.CustomerId));
        }
        return new SimulatedBilling(providerSubscriptionId, s, events);
    }

    /// <summary>
    /// The next period: a subscription set to cancel at its period's end ends; one with an open (failed) invoice has it
    /// tried again; otherwise the next period's invoice is made and its period starts, paid (→ active) or failed (→ past_due).
    /// </summary>
    public async Task<SimulatedBilling?> RenewAsync(string providerSubscriptionId, bool succeeded, CancellationToken cancellationToken)
    {
        if (await FindAsync<DummySubscription>(providerSubscriptionId, SubscriptionKind, cancellationToken) is not { } s) return null;
        var events = new List<SimulatedEvent>();
        if (s.Status is "canceled" or "incomplete_expired" or "incomplete") return new SimulatedBilling(providerSubscriptionId, s, events);
        if (s.CancelAtPeriodEnd)
        {
            s = s with { Status = "canceled", CanceledAt = s.PeriodEnd, CancelAtPeriodEnd = false };
            await Billing.UpdateAsync(providerSubscriptionId, Write(s), cancellationToken);
            events.Add(Event("customer.subscription.deleted", providerSubscriptionId, null, s.CustomerId));
            return new SimulatedBilling(providerSubscriptionId, s, events);
        }

        var open = s.LatestInvoice is { } latest && await FindAsync<DummyInvoice>(latest, InvoiceKind, cancellationToken) is { Status: "open" };
        if (!open)
        {
            var (start, end) = (s.PeriodEnd, Advance(s.PeriodEnd, s.Interval, s.IntervalCount));
            var invoice = await NewInvoiceAsync(providerSubscriptionId, s, start, end, charged: true, $"dummy-renewal-{providerSubscriptionId}-{start.ToUnixTimeSeconds()}",
                cancellationToken);
            s = s with { PeriodStart = start, PeriodEnd = end, TrialEnd = null, LatestInvoice = invoice };
            events.Add(Event("invoice.finalized", providerSubscriptionId, invoice, s.CustomerId));
        }
        var paid = await AttemptAsync(s.LatestInvoice!, succeeded, events, providerSubscriptionId, s.CustomerId, cancellationToken);
        s = s with { Status = paid ? "active" : "past_due" };
        await Billing.UpdateAsync(providerSubscriptionId, Write(s), cancellationToken);
        events.Add(Event("customer.subscription.updated", providerSubscriptionId, null, s.CustomerId));
        return new SimulatedBilling(providerSubscriptionId, s, events);
    }

    /// <summary>The dummy's subscriptions, with their ids (for its pages and the simulate routes, which also take our <c>sub_…</c> id).</summary>
    public async Task<IReadOnlyList<(string Id, DummySubscription Subscription)>> SubscriptionsAsync(CancellationToken cancellationToken) =>
        (await Billing.ListAsync(SubscriptionKind, cancellationToken)).Select(o => (o.Id, Read<DummySubscription>(o))).ToList();

    private async Task<bool> AttemptAsync(string invoiceId, bool succeeded, List<SimulatedEvent> events, string subscriptionId, string customerId,
        CancellationToken ct)
    {
        var invoice = await FindAsync<DummyInvoice>(invoiceId, InvoiceKind, ct) ?? throw new InvalidOperationException($"Dummy invoice {invoiceId} is missing.");
        if (invoice.Status == "paid") return true;
        invoice = succeeded
            ? invoice with { Status = "paid", AmountPaid = invoice.AmountDue, AttemptCount = invoice.AttemptCount + 1 }
            : invoice with { AttemptCount = invoice.AttemptCount + 1 };
        await Billing.UpdateAsync(invoiceId, Write(invoice), ct);
        events.Add(Event(succeeded ? "invoice.paid" : "invoice.payment_failed", subscriptionId, invoiceId, customerId));
        return succeeded;
    }

    private async Task<string> NewInvoiceAsync(string providerSubscriptionId, DummySubscription s, DateTimeOffset start, DateTimeOffset end, bool charged,
        string idempotencyKey, CancellationToken ct)
    {
        var amounts = InvoiceAmounts.Of(new Core.Money.Money(charged ? s.AmountMinor : 0, Core.Money.Currency.Of(s.Currency)), s.TaxRateBasisPoints);
        var invoice = new DummyInvoice(providerSubscriptionId, s.CustomerId, "open", amounts.Gross.Minor, 0, amounts.Vat.Minor, s.Currency, start, end, 0);
        return (await CreateAsync("dminv", InvoiceKind, idempotencyKey, invoice, ct)).Id;
    }

    private async Task<DummySubscription> SubscriptionAsync(string id, CancellationToken ct) =>
        await FindAsync<DummySubscription>(id, SubscriptionKind, ct) ?? throw new ProviderErrorException(ProviderName, $"No such subscription: '{id}'.");

    private static ProviderSubscription Normalize(string id, DummySubscription s) => new(id, s.CustomerId, SubscriptionStatusNames.Parse(s.Status),
        s.PeriodStart, s.PeriodEnd, s.CancelAtPeriodEnd, s.TrialEnd, s.LatestInvoice, s.SubscriptionId, s.CanceledAt);

    private SimulatedEvent Event(string type, string subscriptionId, string? invoiceId, string customerId)
    {
        var now = clock.GetUtcNow();
        var body = DummyWireFormat.Serialize(new DummyEventBody(Ids.New("evt", now), type, null, null, null)
            { SubscriptionId = subscriptionId, InvoiceId = invoiceId, CustomerId = customerId });
        return new SimulatedEvent(type, body, TimestampedHmacSignature.Header(options.WebhookSecret, now.ToUnixTimeSeconds(), body));
    }

    /// <summary>Whole seconds, as providers keep instants (Stripe's are Unix seconds), so what we store compares equal on both engines.</summary>
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().ToUnixTimeSeconds());

    private static DateTimeOffset Advance(DateTimeOffset from, string interval, int count) => interval switch
    {
        "day" => from.AddDays(count),
        "week" => from.AddDays(7 * count),
        "month" => from.AddMonths(count),
        "year" => from.AddYears(count),
        _ => throw new InvalidOperationException($"Unknown interval '{interval}'."),
    };
}
