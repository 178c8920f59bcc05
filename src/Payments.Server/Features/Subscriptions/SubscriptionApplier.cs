using Microsoft.EntityFrameworkCore;
using Payments.Core.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Data.Sql;

namespace Payments.Server.Features.Subscriptions;

/// <summary>
/// Fetches a record from the provider and applies what it says, for a caller that holds the customer's lock
/// (<see cref="SubscriptionSync"/>, the API's cancel and resume). Subscriptions: status, period, cancellation, trial and
/// latest invoice, as fetched (never as an event's body said). An invoice is applied after its subscription (both
/// fetched), so an <c>invoice.paid</c> that overtakes the events of the subscription it belongs to still lands.
/// </summary>
public sealed class SubscriptionApplier(PaymentsDb db, InvoiceApplier invoices, IBillingNotices notices, TimeProvider clock)
{
    public const string TrialWillEnd = "customer.subscription.trial_will_end";

    /// <summary>One queued record: its outcome, and the payment an invoice became.</summary>
    public async Task<(DeliveryOutcome Outcome, string? PaymentId)> ApplyAsync(ISubscriptionProvider provider, string recordType, string? recordId,
        IReadOnlyList<string> eventTypes, CancellationToken ct)
    {
        if (recordId is null) return (DeliveryOutcome.Unmatched, null);
        switch (recordType)
        {
            case "subscription" when eventTypes.Any(t => t.StartsWith("checkout.session.", StringComparison.Ordinal)):
                // A completed checkout names the subscription it made: link it, then apply the subscription.
                if (await provider.GetSubscriptionCheckoutAsync(recordId, ct) is not { ProviderSubscriptionId: { } made })
                    return (DeliveryOutcome.NoChange, null);
                return (await SubscriptionAsync(provider, made, eventTypes, ct)).Outcome switch
                {
                    DeliveryOutcome.Unmatched => (DeliveryOutcome.Unmatched, null),
                    var o => (o, null),
                };
            case "subscription":
                return ((await SubscriptionAsync(provider, recordId, eventTypes, ct)).Outcome, null);
            case "invoice":
                return await InvoiceAsync(provider, recordId, eventTypes, ct);
            case "customer":
                return (await CustomerAsync(provider, recordId, eventTypes, ct), null);
            default:
                return (DeliveryOutcome.Informational, null);
        }
    }

    /// <summary>Asks again about a subscription of ours (the sweep): its checkout first when no subscription is known for it yet.</summary>
    public async Task<DeliveryOutcome> RefreshAsync(ISubscriptionProvider provider, SubscriptionRow row, CancellationToken ct)
    {
        var external = await ExternalIdAsync(provider.Name, row.Id, ct);
        if (external is null && row.CheckoutId is { } checkout)
            external = (await provider.GetSubscriptionCheckoutAsync(checkout, ct))?.ProviderSubscriptionId;
        if (external is null)
        {
            var tracked = await db.Subscriptions.FirstAsync(s => s.Id == row.Id, ct);
            tracked.SyncedAt = clock.GetUtcNow(); // nothing to ask yet: the checkout is still open
            await db.SaveWriteAsync(ct);
            return DeliveryOutcome.NoChange;
        }
        return (await SubscriptionAsync(provider, external, [], ct)).Outcome;
    }

    /// <summary>Fetches and applies a subscription (and then its latest invoice, so a lost <c>invoice.paid</c> heals too).</summary>
    public async Task<(DeliveryOutcome Outcome, SubscriptionRow? Row)> SubscriptionAsync(ISubscriptionProvider provider, string providerSubscriptionId,
        IReadOnlyList<string> eventTypes, CancellationToken ct)
    {
        var fetched = await provider.GetSubscriptionAsync(providerSubscriptionId, ct);
        if (fetched is null) return (DeliveryOutcome.Unmatched, null);
        var (outcome, row) = await ApplyFetchedAsync(provider.Name, fetched, eventTypes, ct);
        if (row is not null && fetched.LatestInvoiceId is { } latest)
        {
            var known = await db.SubscriptionInvoices.AsNoTracking().FirstOrDefaultAsync(i => i.Provider == provider.Name && i.ExternalId == latest, ct);
            if (known is null || known.Status != "paid")
                await invoices.ApplyAsync(provider, row, latest, [], ct);
        }
        return (outcome, row);
    }

    /// <summary>Applies a subscription as the provider answered it (a fetch, or the answer to our own cancel or resume).</summary>
    public async Task<(DeliveryOutcome Outcome, SubscriptionRow? Row)> ApplyFetchedAsync(string provider, ProviderSubscription fetched,
        IReadOnlyList<string> eventTypes, CancellationToken ct)
    {
        var ours = await OursAsync(provider, fetched, ct);
        if (ours is null) return (DeliveryOutcome.Unmatched, null);
        var now = clock.GetUtcNow();
        await using var tx = await db.BeginWriteAsync(ct);
        var row = await db.Subscriptions.FirstAsync(s => s.Id == ours, ct);
        var before = (row.Status, row.CurrentPeriodStart, row.CurrentPeriodEnd, row.CancelAtPeriodEnd, row.TrialEnd, row.CanceledAt, row.LatestInvoice);
        var status = fetched.Status == ProviderSubscriptionStatus.Unknown ? row.Status : fetched.Status.ToWire();
        (row.Status, row.CurrentPeriodStart, row.CurrentPeriodEnd, row.CancelAtPeriodEnd, row.TrialEnd, row.CanceledAt, row.LatestInvoice) =
            (status, fetched.CurrentPeriodStart, fetched.CurrentPeriodEnd, fetched.CancelAtPeriodEnd, fetched.TrialEnd, fetched.CanceledAt,
                fetched.LatestInvoiceId ?? row.LatestInvoice);
        row.SyncedAt = now;
        var changed = before != (row.Status, row.CurrentPeriodStart, row.CurrentPeriodEnd, row.CancelAtPeriodEnd, row.TrialEnd, row.CanceledAt, row.LatestInvoice);
        if (changed)
        {
            row.UpdatedAt = now;
            db.AuditLog.Add(Data.Audit.Entry(now, "subscription.updated", $"provider:{provider}", null, new
            {
                subscription_id = row.Id, from = before.Status, to = row.Status, current_period_start = row.CurrentPeriodStart,
                current_period_end = row.CurrentPeriodEnd, cancel_at_period_end = row.CancelAtPeriodEnd, event_types = eventTypes,
            }));
        }
        if (eventTypes.Contains(TrialWillEnd)) await notices.TrialEndsSoonAsync(db, row, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (changed ? DeliveryOutcome.Applied : DeliveryOutcome.NoChange, row);
    }

    private async Task<(DeliveryOutcome, string?)> InvoiceAsync(ISubscriptionProvider provider, string invoiceId, IReadOnlyList<string> eventTypes,
        CancellationToken ct)
    {
        var fetched = await provider.GetInvoiceAsync(invoiceId, ct);
        if (fetched?.ProviderSubscriptionId is not { } subscriptionId) return (DeliveryOutcome.Unmatched, null);
        // The subscription first, fetched too: it links an invoice that overtook the subscription's own events.
        if (await provider.GetSubscriptionAsync(subscriptionId, ct) is not { } subscription) return (DeliveryOutcome.Unmatched, null);
        var (_, row) = await ApplyFetchedAsync(provider.Name, subscription, [], ct);
        if (row is null) return (DeliveryOutcome.Unmatched, null);
        return await invoices.ApplyAsync(provider, row, invoiceId, eventTypes, ct, fetched);
    }

    /// <summary>
    /// Our customer data is the source of truth, so a customer event changes nothing of ours; a customer deleted at the
    /// provider loses its link, and is created there again the next time it is needed.
    /// </summary>
    private async Task<DeliveryOutcome> CustomerAsync(ISubscriptionProvider provider, string providerCustomerId, IReadOnlyList<string> eventTypes,
        CancellationToken ct)
    {
        if (!eventTypes.Contains("customer.deleted")) return DeliveryOutcome.Informational;
        var link = await db.ExternalCustomers.FirstOrDefaultAsync(e => e.Provider == provider.Name && e.ExternalId == providerCustomerId, ct);
        if (link is null) return DeliveryOutcome.Unmatched;
        db.ExternalCustomers.Remove(link);
        await db.SaveWriteAsync(ct);
        return DeliveryOutcome.Applied;
    }

    /// <summary>Our subscription for a provider's: by the external-id table, else by our id in its metadata (then linked).</summary>
    private async Task<string?> OursAsync(string provider, ProviderSubscription fetched, CancellationToken ct)
    {
        var linked = await db.ExternalSubscriptions.AsNoTracking().Where(e => e.Provider == provider && e.ExternalId == fetched.ProviderSubscriptionId)
            .Select(e => e.SubscriptionId).FirstOrDefaultAsync(ct);
        if (linked is not null) return linked;
        if (fetched.SubscriptionId is not { } claimed || !await db.Subscriptions.AnyAsync(s => s.Id == claimed && s.Provider == provider, ct)) return null;
        var kept = await ExternalIdRows.KeepAsync(db, ExternalTable.Subscriptions, provider, fetched.ProviderSubscriptionId, claimed, clock.GetUtcNow(), ct);
        // Another provider subscription already holds our id: this one is not ours.
        return kept == fetched.ProviderSubscriptionId ? claimed : null;
    }

    private Task<string?> ExternalIdAsync(string provider, string subscriptionId, CancellationToken ct) =>
        db.ExternalSubscriptions.AsNoTracking().Where(e => e.Provider == provider && e.SubscriptionId == subscriptionId).Select(e => e.ExternalId)
            .FirstOrDefaultAsync(ct);
}
