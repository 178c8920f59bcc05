using Microsoft.EntityFrameworkCore;
using Payments.Server.Data;

namespace Payments.Server.Features.Billing;

/// <summary>
/// Every <c>BILLING_WORKER_INTERVAL_SECONDS</c>: VAT numbers VIES could not check yet are asked about again when their
/// time has come (backoff from <c>VIES_RETRY_INITIAL_SECONDS</c> up to <c>VIES_RETRY_MAX_SECONDS</c>, for as long as it
/// takes: unverified never turns into invalid by waiting), and customers a provider has not heard about are pushed
/// again. Each customer under its own lock, so several nodes running the worker do each thing once.
/// </summary>
public sealed class BillingWorker(IServiceScopeFactory scopes, BillingOptions options, TimeProvider clock, ILogger<BillingWorker> log)
    : Hosting.PeriodicWorker(clock, log)
{
    protected override bool Enabled => options.WorkerEnabled;
    protected override TimeSpan Interval => options.WorkerInterval;
    protected override string Name => "Billing worker";
    protected override Task RoundAsync(CancellationToken ct) => RunOnceAsync(ct);

    /// <summary>One round; answers how many customers were looked at.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        List<string> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
            var now = Clock.GetUtcNow();
            var vat = await db.BillingCustomers.AsNoTracking().Where(c => c.VatNextCheckAt != null && c.VatNextCheckAt <= now)
                .OrderBy(c => c.VatNextCheckAt).Take(options.BatchSize).Select(c => c.UserId).ToListAsync(ct);
            var sync = await db.BillingCustomers.AsNoTracking().Where(c => c.SyncDueAt != null && c.SyncDueAt <= now)
                .OrderBy(c => c.SyncDueAt).Take(options.BatchSize).Select(c => c.UserId).ToListAsync(ct);
            due = vat.Concat(sync).Distinct(StringComparer.Ordinal).ToList();
        }
        foreach (var userId in due)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<BillingCustomers>().CatchUpAsync(userId, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.LogWarning(e, "Billing worker could not catch up on the customer of user {UserId}", userId);
            }
        }
        return due.Count;
    }
}
