using Payments.Server.Data;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Outbox;

/// <summary>
/// How far behind the host's endpoints are: the age of the oldest event that some endpoint has not
/// received yet (waiting to be fanned out, or a delivery still pending its next try); 0 when none
/// waits or there are no endpoints. Read by the <c>payments_outbox_lag_seconds</c> gauge when metrics
/// are collected, at most once per <see cref="Refresh"/> (a scrape never queries more often than that).
/// </summary>
public sealed class OutboxLag(IServiceScopeFactory scopes, TimeProvider clock, ILogger<OutboxLag> log)
{
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(5);
    private readonly Lock _gate = new();
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;
    private double _seconds;

    public double Seconds()
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (now - _readAt < Refresh) return _seconds;
            try
            {
                _seconds = Math.Max(0, (now - (Oldest() ?? now)).TotalSeconds);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                // The database is away: say nothing new rather than fail the scrape.
                log.LogDebug(e, "Could not read the outbox lag");
            }
            _readAt = now;
            return _seconds;
        }
    }

    /// <summary>Synchronous on purpose: a gauge's callback is synchronous, and EF's sync API blocks no other thread.</summary>
    private DateTimeOffset? Oldest()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        if (!db.WebhookEndpoints.Any(e => e.DeletedAt == null)) return null;
        // Outbox ids grow with time, so the smallest waiting id is the oldest event (both lookups use partial indexes).
        var pending = db.OutboxDeliveries.Where(d => d.Status == DeliveryStatus.Pending).Min(d => (long?)d.OutboxId);
        var unfanned = db.Outbox.Where(o => !o.FannedOut).Min(o => (long?)o.Id);
        if ((pending, unfanned) is (null, null)) return null;
        var oldest = Math.Min(pending ?? long.MaxValue, unfanned ?? long.MaxValue);
        return db.Outbox.Where(o => o.Id == oldest).Select(o => (DateTimeOffset?)o.CreatedAt).FirstOrDefault();
    }
}
