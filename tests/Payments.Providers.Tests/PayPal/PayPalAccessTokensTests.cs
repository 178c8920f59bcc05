using Payments.Providers.PayPal;
using Payments.Providers.Tests.Support;

namespace Payments.Providers.Tests.PayPal;

public class PayPalAccessTokensTests
{
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private int _fetches;

    private Task<(string, TimeSpan)> Fetch(TimeSpan lifetime)
    {
        _fetches++;
        return Task.FromResult(($"token-{_fetches}", lifetime));
    }

    [Fact]
    public async Task A_token_is_reused_until_shortly_before_it_expires()
    {
        var tokens = new PayPalAccessTokens(_clock);
        var lifetime = TimeSpan.FromSeconds(32400); // what PayPal issues: nine hours

        Assert.Equal("token-1", await tokens.GetAsync(_ => Fetch(lifetime), default));
        _clock.Now += lifetime - TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1);
        Assert.Equal("token-1", await tokens.GetAsync(_ => Fetch(lifetime), default));
        _clock.Now += TimeSpan.FromSeconds(1); // five minutes before expiry: renew
        Assert.Equal("token-2", await tokens.GetAsync(_ => Fetch(lifetime), default));
        Assert.Equal(2, _fetches);
    }

    [Fact]
    public async Task A_short_lived_token_is_renewed_a_tenth_of_its_life_early()
    {
        var tokens = new PayPalAccessTokens(_clock);
        await tokens.GetAsync(_ => Fetch(TimeSpan.FromSeconds(100)), default);
        _clock.Now += TimeSpan.FromSeconds(89);
        Assert.Equal("token-1", await tokens.GetAsync(_ => Fetch(TimeSpan.FromSeconds(100)), default));
        _clock.Now += TimeSpan.FromSeconds(1);
        Assert.Equal("token-2", await tokens.GetAsync(_ => Fetch(TimeSpan.FromSeconds(100)), default));
    }

    [Fact]
    public async Task Invalidating_the_refused_token_fetches_a_new_one_but_keeps_a_newer_one()
    {
        var tokens = new PayPalAccessTokens(_clock);
        var hour = TimeSpan.FromHours(1);
        var first = await tokens.GetAsync(_ => Fetch(hour), default);
        tokens.Invalidate(first);
        var second = await tokens.GetAsync(_ => Fetch(hour), default);
        tokens.Invalidate(first); // a late caller still holding the old token must not drop the new one
        Assert.Equal(("token-1", "token-2", "token-2"), (first, second, await tokens.GetAsync(_ => Fetch(hour), default)));
    }

    [Fact]
    public async Task Concurrent_callers_share_one_fetch()
    {
        var tokens = new PayPalAccessTokens(_clock);
        var release = new TaskCompletionSource();
        async Task<(string, TimeSpan)> SlowFetch(CancellationToken _)
        {
            Interlocked.Increment(ref _fetches);
            await release.Task;
            return ("shared", TimeSpan.FromHours(1));
        }

        var callers = Enumerable.Range(0, 20).Select(_ => tokens.GetAsync(SlowFetch, default)).ToArray();
        release.SetResult();
        Assert.All(await Task.WhenAll(callers), t => Assert.Equal("shared", t));
        Assert.Equal(1, _fetches);
    }
}
