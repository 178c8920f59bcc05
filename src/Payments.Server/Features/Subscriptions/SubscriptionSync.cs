using Microsoft.EntityFrameworkCore;
using Payments.Core.Billing;
using Payments.Core.Errors;
using Payments.Core.Providers;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Data.Sql;
using Payments.Server.Features.Billing;

namespace Payments.Server.Features.Subscriptions;

/// <summary>
/// Applies queued billing events, one customer at a time and in order, across nodes: the customer's lock
/// (<see cref="BillingLocks"/>: a PostgreSQL advisory lock, or the single SQLite process's semaphore) is taken first,
/// THEN each queued record is fetched from the provider, and what was fetched is applied while the lock is still held.
/// Two deliveries about one customer (any node, any order, the same one twice) therefore apply the provider's state
/// one after the other, each at least as new as the one before: a stale or reordered event never overwrites newer
/// state, it only makes us ask again. A record the provider cannot be asked about now stays queued, with backoff.
/// </summary>
public sealed class SubscriptionSync(IServiceScopeFactory scopes, BillingLocks locks, ProviderRegistry providers, SubscriptionOptions options,
    TimeProvider clock, ILogger<SubscriptionSync> log)
{
    /// <summary>Runs a customer's queue right after a delivery; the outcome of <paramref name="recordId"/>, or null when it stays queued.</summary>
    public async Task<DeliveryOutcome?> TryRunAsync(string provider, string? providerCustomerId, string? recordId, CancellationToken ct)
    {
        try
        {
            var outcomes = await RunCustomerAsync(provider, providerCustomerId, ct);
            return recordId is not null && outcomes.TryGetValue(recordId, out var outcome) ? outcome : null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Billing events of {Provider} customer {Customer} stay queued", provider, providerCustomerId);
            return null;
        }
    }

    /// <summary>Everything queued for one provider customer, under its lock; answers the outcome per record id applied.</summary>
    public async Task<Dictionary<string, DeliveryOutcome>> RunCustomerAsync(string provider, string? providerCustomerId, CancellationToken ct)
    {
        var outcomes = new Dictionary<string, DeliveryOutcome>(StringComparer.Ordinal);
        if (!providers.TryGet<ISubscriptionProvider>(provider, out var adapter)) return outcomes;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        var applier = scope.ServiceProvider.GetRequiredService<SubscriptionApplier>();
        await using var turn = await locks.AcquireAsync(await LockKeyAsync(db, provider, providerCustomerId, ct), ct);

        var queued = await db.BillingEventQueue.Where(q => q.Provider == provider && q.ProviderCustomerId == providerCustomerId)
            .OrderBy(q => q.Id).ToListAsync(ct);
        foreach (var record in queued.GroupBy(q => (q.RecordType, q.RecordId)))
        {
            var events = record.ToList();
            try
            {
                var (outcome, paymentId) = await applier.ApplyAsync(adapter, record.Key.RecordType, record.Key.RecordId,
                    events.Select(e => e.EventType).ToList(), ct);
                await using (var tx = await db.BeginWriteAsync(ct))
                {
                    db.BillingEventQueue.RemoveRange(events);
                    await db.SaveChangesAsync(ct);
                    await BillingQueueRows.SetOutcomeAsync(db, provider, events.Select(e => e.EventId).ToList(), outcome.ToWire(), paymentId, ct);
                    await tx.CommitAsync(ct);
                }
                if (record.Key.RecordId is { } id) outcomes[id] = outcome;
            }
            catch (Exception e) when (e is PaymentsException && !ct.IsCancellationRequested)
            {
                db.ChangeTracker.Clear();
                log.LogWarning(e, "Could not apply {Type} {Record} from {Provider}; it stays queued", record.Key.RecordType, record.Key.RecordId, provider);
                var now = clock.GetUtcNow();
                foreach (var entry in events)
                {
                    db.Attach(entry);
                    entry.Attempts++;
                    entry.NextAttemptAt = now + ViesRetry.After(entry.Attempts, options.WorkerInterval, TimeSpan.FromHours(6));
                    entry.LastError = e.Message.Length > 1000 ? e.Message[..1000] : e.Message;
                }
                await db.SaveWriteAsync(ct);
            }
        }
        return outcomes;
    }

    /// <summary>Fetches one subscription of ours again and applies it (the reconciliation sweep, the CLI), under its customer's lock.</summary>
    public async Task<DeliveryOutcome> SyncSubscriptionAsync(string subscriptionId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        var row = await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == subscriptionId, ct)
                  ?? throw PaymentsException.NotFound($"No subscription '{subscriptionId}'.");
        var adapter = providers.Get<ISubscriptionProvider>(row.Provider);
        await using var turn = await locks.AcquireAsync(BillingCustomers.LockKey(row.UserId), ct);
        return await scope.ServiceProvider.GetRequiredService<SubscriptionApplier>().RefreshAsync(adapter, row, ct);
    }

    /// <summary>
    /// The lock of our customer (the same one billing information takes), found through the provider's customer id; a
    /// customer we do not know is locked by the provider's id, which still orders its events.
    /// </summary>
    private static async Task<string> LockKeyAsync(PaymentsDb db, string provider, string? providerCustomerId, CancellationToken ct)
    {
        if (providerCustomerId is null) return $"billing-provider-customer:{provider}:";
        var userId = await (from e in db.ExternalCustomers
                            join c in db.BillingCustomers on e.CustomerId equals c.Id
                            where e.Provider == provider && e.ExternalId == providerCustomerId
                            select c.UserId).FirstOrDefaultAsync(ct);
        return userId is not null ? BillingCustomers.LockKey(userId) : $"billing-provider-customer:{provider}:{providerCustomerId}";
    }
}
