using System.Collections.Concurrent;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Webhooks;

/// <summary>
/// Refused webhook deliveries, counted in memory per provider and reason instead of an audit row each:
/// a flood of forged deliveries used to cost a database write apiece and slowed real webhooks (2 → 37 ms
/// median). The counts since start are shown on the dashboard's webhook page, and logged at most once a
/// minute (the count since the last line), so a flood is visible without being amplified.
/// Each refusal also counts in the metrics (<c>payments_webhooks_received_total{result=…}</c>, and
/// <c>payments_webhook_signature_failures_total</c>), and a bad signature gets its own Warning line
/// (<see cref="MoneyLog"/>) — the first <see cref="LinesPerMinute"/> of each minute; past that only the
/// summary line counts them.
/// </summary>
public sealed class WebhookRejections(TimeProvider clock, ILogger<WebhookRejections> log, MoneyLog money)
{
    public const int LinesPerMinute = 20;
    public const string SignatureInvalid = "signature_invalid";
    public const string MalformedEvent = "malformed_event";
    /// <summary>Not refused (answered 200), but not recorded either: an unsigned delivery nobody can vouch for.</summary>
    public const string UnsignedIgnored = "unsigned_ignored";

    private static readonly TimeSpan LogEvery = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(string Provider, string Reason), long> _total = new();
    private readonly ConcurrentDictionary<(string Provider, string Reason), long> _sinceLog = new();
    private long _lastLogTicks = long.MinValue;
    private long _minute = long.MinValue, _linesThisMinute;

    public void Count(string provider, string reason, string? detail = null)
    {
        money.Metrics.WebhookReceived(provider, reason);
        if (reason == SignatureInvalid) money.BadSignature(provider, detail ?? "no detail", logged: TakeLine());
        _total.AddOrUpdate((provider, reason), 1, static (_, n) => n + 1);
        _sinceLog.AddOrUpdate((provider, reason), 1, static (_, n) => n + 1);
        var now = clock.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastLogTicks);
        if (last != long.MinValue && now - last < LogEvery.Ticks) return;
        if (Interlocked.CompareExchange(ref _lastLogTicks, now, last) != last) return; // another request logs
        foreach (var key in _sinceLog.Keys)
            if (_sinceLog.TryRemove(key, out var count) && count > 0)
                log.LogWarning("Refused {Count} webhook deliveries from {Provider} ({Reason}) in the last minute", count, key.Provider, key.Reason);
    }

    /// <summary>True for the first <see cref="LinesPerMinute"/> calls of each clock minute.</summary>
    private bool TakeLine()
    {
        var minute = clock.GetUtcNow().UtcTicks / TimeSpan.TicksPerMinute;
        if (Interlocked.Exchange(ref _minute, minute) != minute) Interlocked.Exchange(ref _linesThisMinute, 0);
        return Interlocked.Increment(ref _linesThisMinute) <= LinesPerMinute;
    }

    /// <summary>Every count since the service started, by provider and reason.</summary>
    public IReadOnlyList<(string Provider, string Reason, long Count)> Totals() =>
        _total.Select(kv => (kv.Key.Provider, kv.Key.Reason, kv.Value)).OrderBy(t => t.Provider, StringComparer.Ordinal)
            .ThenBy(t => t.Reason, StringComparer.Ordinal).ToList();
}
