namespace Payments.Providers.Common;

/// <summary>
/// A provider's access token, shared by every call to that provider in the process. Providers ask
/// integrations to reuse their tokens, so one is fetched, kept until shortly before it expires (by the
/// injected clock), and replaced once when the provider answers 401 anyway (revoked, or our clock and
/// theirs disagree). Concurrent callers wait for a single fetch. Each provider derives its own type, so
/// each has its own singleton and never sees another provider's token.
/// </summary>
public abstract class AccessTokenCache(TimeProvider clock)
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

    /// <summary>Forgets <paramref name="token"/> after the provider refused it; a newer token fetched meanwhile is kept.</summary>
    public void Invalidate(string token)
    {
        var current = Volatile.Read(ref _current);
        if (current?.Token == token) Interlocked.CompareExchange(ref _current, null, current);
    }

    private string? Usable() =>
        Volatile.Read(ref _current) is { } entry && clock.GetUtcNow() < entry.RefreshAt ? entry.Token : null;
}
