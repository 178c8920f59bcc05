namespace Payments.Providers.PayPal;

/// <summary>
/// The OAuth2 client-credentials token, shared by every PayPal call in the process. PayPal's tokens
/// live for hours and PayPal asks integrations to reuse them, so one is fetched, kept until shortly
/// before it expires (by the injected clock), and replaced once when PayPal answers 401 anyway
/// (revoked, or our clock and PayPal's disagree). Concurrent callers wait for a single fetch.
/// </summary>
public sealed class PayPalAccessTokens(TimeProvider clock)
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

    /// <summary>Forgets <paramref name="token"/> after PayPal refused it; a newer token fetched meanwhile is kept.</summary>
    public void Invalidate(string token)
    {
        var current = Volatile.Read(ref _current);
        if (current?.Token == token) Interlocked.CompareExchange(ref _current, null, current);
    }

    private string? Usable() =>
        Volatile.Read(ref _current) is { } entry && clock.GetUtcNow() < entry.RefreshAt ? entry.Token : null;
}
