namespace Payments.Server.Features.Billing;

/// <summary>
/// Syncs the catalog when the service starts (<c>CATALOG_SYNC_ON_START</c>, default true), in the background: a
/// provider that is down is logged, not fatal (payments do not wait for Stripe's catalog), and tried again after
/// 30 s, doubling up to 15 minutes, until every provider has it. <c>payments-cli catalog sync</c> does the same on demand.
/// </summary>
public sealed class CatalogSyncOnStart(IServiceScopeFactory scopes, BillingOptions options, TimeProvider clock, ILogger<CatalogSyncOnStart> log)
    : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.SyncCatalogOnStart) return;
        IReadOnlyCollection<string>? pending = null; // all providers the first time, then those that failed
        var wait = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var report = await scope.ServiceProvider.GetRequiredService<CatalogSync>().RunAsync(pending, stoppingToken);
                foreach (var change in report.Changes) log.LogInformation("Catalog sync: {Change}", change);
                if (report.Complete) return;
                pending = report.Failures.Select(f => f.Provider).ToList();
                log.LogWarning("Catalog sync incomplete ({Failures}); trying again in {Wait}",
                    string.Join("; ", report.Failures.Select(f => $"{f.Provider}: {f.Error}")), wait);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Catalog sync failed; trying again in {Wait}", wait);
            }
            await Task.Delay(wait, clock, stoppingToken);
            wait = wait * 2 > LongestRetry ? LongestRetry : wait * 2;
        }
    }
}
