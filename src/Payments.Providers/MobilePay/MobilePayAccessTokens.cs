namespace Payments.Providers.MobilePay;

/// <summary>
/// The access token from <c>POST /accesstoken/get</c>, shared by every MobilePay call in the process.
/// It lives an hour in the test environment and a day in production, and Vipps asks integrations to
/// reuse it rather than fetch one per call; so one is kept until shortly before it expires (by the
/// injected clock) and replaced once when Vipps answers 401 anyway. Concurrent callers wait for one
/// fetch. The same rules as PayPalAccessTokens, kept in this folder so each provider stays one folder.
/// </summary>
public sealed class MobilePayAccessTokens(TimeProvider clock)
{
    /// <summary>Refresh this long before expiry at most (a tenth of the lifetime for short-lived tokens).</summary>
    public static readonly TimeSpan MaxRefreshMargin = TimeSpan.FromMinutes(5);

    private sealed record Entry(string Token, DateTimeOffset RefreshAt);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Entry? _current; // replaced whole, never mutated: a reader sees one consistent entry

    /// <summary>A usable token: the cached one, or a fresh one from <paramref name="fetch"/> (token, lifetime).</summary>
    public async Task<string> GetAsync(Func<CancellationToken, Task<(string Token, TimeSpan Lifetime)>> fetch, CancellationToken ct)
    {
        if (Usable() is { } cached) return cached;
        await _gate.WaitAsync(ct);
        try
        {
            if (Usable() is { } fetchedMeanwhile) return fetchedMeanwhile;
            var (token, lifetime) = await fetch(ct);
            var margin = TimeSpan.FromTicks(Math.Min(MaxRefreshMargin.Ticks, lifetime.Ticks / 10));
            Volatile.Write(ref _current, new Entry(token, clock.GetUtcNow() + lifetime - margin));
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets <paramref name="token"/> after Vipps refused it; a newer token fetched meanwhile is kept.</summary>
    public void Invalidate(string token)
    {
        var current = Volatile.Read(ref _current);
        if (current?.Token == token) Interlocked.CompareExchange(ref _current, null, current);
    }

    private string? Usable() =>
        Volatile.Read(ref _current) is { } entry && clock.GetUtcNow() < entry.RefreshAt ? entry.Token : null;
}
