using Microsoft.EntityFrameworkCore;
using Payments.Core.Payments;
using Payments.Providers.Common;
using Payments.Server.Data;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Payments;

/// <summary>When and how much the reconciliation worker checks.</summary>
public sealed record ReconciliationOptions(bool Enabled, TimeSpan Interval, TimeSpan PendingAfter, int BatchSize, TimeSpan MaxAge)
{
    public static ReconciliationOptions From(IConfiguration configuration) => new(
        configuration.Flag("RECONCILE_ENABLED", true),
        TimeSpan.FromSeconds(Positive(configuration, "RECONCILE_INTERVAL_SECONDS", 300)),
        TimeSpan.FromMinutes(Positive(configuration, "RECONCILE_PENDING_AFTER_MINUTES", 15, allowZero: true)),
        Positive(configuration, "RECONCILE_BATCH_SIZE", 100),
        TimeSpan.FromDays(Positive(configuration, "RECONCILE_MAX_AGE_DAYS", 7)));

    private static int Positive(IConfiguration configuration, string name, int fallback, bool allowZero = false) =>
        configuration.Value(name) is not { } raw ? fallback
        : int.TryParse(raw, out var n) && (n > 0 || (allowZero && n == 0)) ? n
        : throw new InvalidOperationException($"{name}='{raw}' must be a {(allowZero ? "non-negative" : "positive")} whole number.");
}

/// <summary>
/// Heals payments whose webhook never came and whose buyer never returned to trigger verify: every
/// interval it asks the provider about
/// <list type="bullet">
/// <item>payments still pending after a while (up to <c>RECONCILE_MAX_AGE_DAYS</c>; after that the
/// provider's checkout is long gone and asking again only costs API calls);</item>
/// <item>failed payments whose checkout may still be open: a declined card is not the end of a Stripe
/// Checkout Session, and the success of the buyer's second card can be the webhook that was lost;</item>
/// <item>payments with a refund whose provider answer was lost.</item>
/// </list>
/// A bounded batch per round, least recently checked first (<c>checked_at</c>), so payments the
/// provider keeps calling "pending" cannot starve the others. Answers go through the same settlement
/// rules and row locks as everything else, so several nodes running the worker change nothing twice.
/// </summary>
public sealed class ReconciliationWorker(
    IServiceScopeFactory scopes, ReconciliationOptions options, Hosting.SiteOptions site, TimeProvider clock, ILogger<ReconciliationWorker> log)
    : Hosting.PeriodicWorker(clock, log)
{
    public const string Actor = "system:reconcile";

    protected override bool Enabled => options.Enabled;
    protected override TimeSpan Interval => options.Interval;
    protected override string Name => "Reconciliation";
    protected override Task RoundAsync(CancellationToken ct) => RunOnceAsync(ct);

    /// <summary>One round; returns how many payments were asked about.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        var refresh = scope.ServiceProvider.GetRequiredService<ProviderRefresh>();
        var now = Clock.GetUtcNow();
        var cutoff = now - options.PendingAfter;
        var oldest = now - options.MaxAge;
        var checkoutStillOpen = now - site.CheckoutLifetime - options.PendingAfter;

        // Two queries, each on an index: payments by creation time (no index may cover status, see
        // docs/decisions.md "Settling a payment is a HOT update"), and payments by their lost refunds.
        var earliest = oldest < checkoutStillOpen ? oldest : checkoutStillOpen;
        var stuck = await db.Payments.AsNoTracking()
            .Where(p => p.CreatedAt >= earliest && p.CreatedAt <= cutoff && p.ProviderPaymentId != null && p.UpdatedAt <= cutoff
                        && ((p.Status == PaymentStatus.Pending && p.CreatedAt >= oldest)
                            || (p.Status == PaymentStatus.Failed && p.CreatedAt >= checkoutStillOpen)))
            .LeastRecentlyCheckedFirst()
            .Take(options.BatchSize)
            .ToListAsync(ct);
        var withLostRefunds = db.Refunds.Where(r => r.Status == Refund.Pending && r.UpdatedAt <= cutoff).Select(r => r.PaymentId);
        var refunding = await db.Payments.AsNoTracking()
            .Where(p => p.ProviderPaymentId != null && p.UpdatedAt <= cutoff && withLostRefunds.Contains(p.Id))
            .LeastRecentlyCheckedFirst()
            .Take(options.BatchSize)
            .ToListAsync(ct);
        var due = stuck.Concat(refunding).DistinctBy(p => p.Id).AsQueryable()
            .LeastRecentlyCheckedFirst()
            .Take(options.BatchSize)
            .ToList();

        foreach (var payment in due)
        {
            try
            {
                var (updated, _) = await refresh.RefreshAsync(payment, Actor, ct);
                if (updated.Status != payment.Status)
                    Log.LogInformation("Reconciled {PaymentId}: {From} → {To}", payment.Id, payment.Status.ToWire(), updated.Status.ToWire());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One provider being down must not stop the others' payments from healing.
                Log.LogWarning(e, "Could not reconcile {PaymentId} with {Provider}", payment.Id, payment.Provider);
            }
            await MarkCheckedAsync(db, payment.Id, Clock.GetUtcNow(), ct);
        }
        return due.Count;
    }

    private static async Task MarkCheckedAsync(PaymentsDb db, string paymentId, DateTimeOffset at, CancellationToken ct)
    {
        db.ChangeTracker.Clear(); // what the refresh read is stale now
        await using var tx = await db.BeginWriteAsync(ct); // SQLite's write gate; one statement on PostgreSQL
        await db.Payments.Where(p => p.Id == paymentId).ExecuteUpdateAsync(s => s.SetProperty(p => p.CheckedAt, at), ct);
        await tx.CommitAsync(ct);
    }
}

internal static class ReconciliationOrder
{
    /// <summary>Never checked first, then least recently checked, then oldest: no payment starves the others.</summary>
    public static IOrderedQueryable<Payment> LeastRecentlyCheckedFirst(this IQueryable<Payment> payments) =>
        payments.OrderBy(p => p.CheckedAt.HasValue).ThenBy(p => p.CheckedAt).ThenBy(p => p.CreatedAt);
}
