using Microsoft.EntityFrameworkCore;
using Payments.Core.Providers;
using Payments.Server.Data;

namespace Payments.Server.Features.Subscriptions;

/// <summary>
/// Every <c>SUBSCRIPTION_WORKER_INTERVAL_SECONDS</c>: billing events still queued (their provider could not be asked
/// when they came) are applied, customer by customer; then the reconciliation sweep fetches again every subscription not
/// heard of for <c>SUBSCRIPTION_RESYNC_AFTER_SECONDS</c> that has not ended, so a lost webhook is healed. Everything goes
/// through <see cref="SubscriptionSync"/>, under the customer's lock, so several nodes running it do each thing once.
/// </summary>
public sealed class SubscriptionWorker(IServiceScopeFactory scopes, SubscriptionSync sync, SubscriptionOptions options, TimeProvider clock,
    ILogger<SubscriptionWorker> log) : Hosting.PeriodicWorker(clock, log)
{
    private static readonly string[] Final = [ProviderSubscriptionStatus.Canceled.ToWire(), ProviderSubscriptionStatus.IncompleteExpired.ToWire()];

    protected override bool Enabled => options.WorkerEnabled;
    protected override TimeSpan Interval => options.WorkerInterval;
    protected override string Name => "Subscription worker";
    protected override Task RoundAsync(CancellationToken ct) => RunOnceAsync(ct);

    /// <summary>One round; answers how many customers' queues and how many subscriptions were looked at.</summary>
    public async Task<(int Customers, int Subscriptions)> RunOnceAsync(CancellationToken ct)
    {
        List<(string Provider, string? Customer)> queued;
        List<string> stale;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
            var now = Clock.GetUtcNow();
            queued = (await db.BillingEventQueue.AsNoTracking().Where(q => q.NextAttemptAt <= now).OrderBy(q => q.Id).Take(options.BatchSize * 4)
                    .Select(q => new { q.Provider, q.ProviderCustomerId }).ToListAsync(ct))
                .Select(q => (q.Provider, q.ProviderCustomerId)).Distinct().Take(options.BatchSize).ToList();
            var before = now - options.ResyncAfter;
            stale = await db.Subscriptions.AsNoTracking().Where(s => !Final.Contains(s.Status) && s.SyncedAt <= before).OrderBy(s => s.SyncedAt)
                .Take(options.BatchSize).Select(s => s.Id).ToListAsync(ct);
        }
        foreach (var (provider, customer) in queued)
        {
            try
            {
                await sync.RunCustomerAsync(provider, customer, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.LogWarning(e, "Could not apply queued billing events of {Provider} customer {Customer}", provider, customer);
            }
        }
        foreach (var id in stale)
        {
            try
            {
                await sync.SyncSubscriptionAsync(id, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.LogWarning(e, "Could not refresh subscription {SubscriptionId}", id);
            }
        }
        return (queued.Count, stale.Count);
    }
}
