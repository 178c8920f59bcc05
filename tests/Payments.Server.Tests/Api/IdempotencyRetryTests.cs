using Microsoft.EntityFrameworkCore;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Payments.Core.Providers;
using Payments.Server.Data;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Api;

/// <summary>
/// A stand-in provider whose next checkout calls fail as "unavailable" (outcome unknown → 503), so a
/// test can see what the idempotency layer keeps of a server error. Only create-intent reaches it.
/// </summary>
/// <remarks>It implements one-off checkouts and nothing else (no refunds, no webhooks): a provider
/// implements only the capabilities it has.</remarks>
public sealed class FlakyProvider : ICheckoutProvider
{
    public const string ProviderName = "flaky";
    private int _failuresLeft;
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The next <paramref name="count"/> checkout calls throw <see cref="ProviderUnavailableException"/>.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failuresLeft, count);

    public ProviderDescriptor Descriptor { get; } = new()
    {
        Name = ProviderName, DisplayName = "Flaky", IsEnabled = true, OwnsPaymentId = id => id.StartsWith("fk_", StringComparison.Ordinal),
    };

    private TaskCompletionSource? _hold;
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The next checkout call waits until <see cref="Release"/>; <see cref="Held"/> completes when it has started.</summary>
    public void HoldNext() => _hold = _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Held => _held.Task;

    public void Release() => _released?.TrySetResult();

    private TaskCompletionSource? _released;

    public async Task<CheckoutResult> CreateCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        if (Interlocked.Exchange(ref _hold, null) is { } hold)
        {
            _held.TrySetResult();
            await hold.Task;
        }
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            throw new ProviderUnavailableException(ProviderName, "timed out (test)");
        return new CheckoutResult($"fk_{call}", new Uri($"https://flaky.invalid/checkout/{call}"));
    }

    public Task<ProviderPayment> GetPaymentAsync(string providerPaymentId, CancellationToken cancellationToken) => throw new NotSupportedException();
}

/// <summary>A service with a movable clock and the flaky provider beside the dummy (still the default).</summary>
public abstract class IdempotencyEdgeApp(DatabaseKind engine) : AppFixture(engine)
{
    public ManualClock Clock { get; } = new();
    public FlakyProvider Flaky { get; } = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<IProvider>(Flaky);
    }
}

public sealed class SqliteIdempotencyEdgeApp() : IdempotencyEdgeApp(DatabaseKind.Sqlite);

public sealed class PostgresIdempotencyEdgeApp() : IdempotencyEdgeApp(DatabaseKind.Postgres);

/// <summary>
/// What an Idempotency-Key does not keep: a server error (the retry runs again) and anything older
/// than 24 hours (the key is free for a new request). Guests are used on purpose: their scope is the
/// client address, so moving the service's clock cannot interfere with token lifetimes.
/// </summary>
public abstract class IdempotencyRetryTests<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : IdempotencyEdgeApp
{
    private static HttpRequestMessage CreateIntent(string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payment/create-intent") { Content = JsonContent.Create(body, options: Json.Options) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    [Fact]
    public async Task A_503_is_not_stored_so_a_retry_with_the_same_key_runs_again()
    {
        using var guest = fixture.App.ClientFrom("127.0.0.31");
        var key = Guid.NewGuid().ToString();
        var body = new { plan = "basic", provider = FlakyProvider.ProviderName };
        fixture.Flaky.FailNext(1);
        var callsBefore = fixture.Flaky.Calls;

        var failed = await guest.SendAsync(CreateIntent(key, body));
        var retried = await guest.SendAsync(CreateIntent(key, body));
        var replayed = await guest.SendAsync(CreateIntent(key, body));

        Assert.Equal(503, (int)failed.StatusCode);
        Assert.Equal("provider_unavailable", (await failed.Body()).Str("code"));
        Assert.Equal(200, (int)retried.StatusCode); // ran again, not a replay of the 503
        Assert.False(retried.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(callsBefore + 2, fixture.Flaky.Calls); // the provider was asked twice, and no more
        Assert.NotEqual((await failed.Body()).Str("payment_id"), (await retried.Body()).Str("payment_id"));
        // The success is what the key now keeps.
        Assert.Equal(200, (int)replayed.StatusCode);
        Assert.True(replayed.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(await retried.Content.ReadAsStringAsync(), await replayed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task After_24_hours_a_key_may_be_reused_with_another_body()
    {
        using var guest = fixture.App.ClientFrom("127.0.0.32");
        var key = Guid.NewGuid().ToString();

        var first = await guest.SendAsync(CreateIntent(key, new { plan = "basic" }));
        var tooSoon = await guest.SendAsync(CreateIntent(key, new { plan = "pro" }));
        fixture.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        var later = await guest.SendAsync(CreateIntent(key, new { plan = "pro" }));

        Assert.Equal(200, (int)first.StatusCode);
        Assert.Equal(422, (int)tooSoon.StatusCode); // within the lifetime the key is still bound to the first body
        Assert.Equal(200, (int)later.StatusCode);
        Assert.False(later.Headers.Contains("Idempotent-Replayed"));
        var laterBody = await later.Body();
        Assert.NotEqual((await first.Body()).Str("payment_id"), laterBody.Str("payment_id"));
        Assert.Equal("pro", await PlanOf(laterBody.Str("payment_id")));
    }

    [Fact]
    public async Task A_claim_whose_request_never_finished_is_abandoned_after_its_lease_and_the_retry_runs()
    {
        using var guest = fixture.App.ClientFrom("127.0.0.33");
        var key = Guid.NewGuid().ToString();
        var body = new { plan = "basic" };
        var first = await guest.SendAsync(CreateIntent(key, body));
        Assert.Equal(200, (int)first.StatusCode);
        // What a node killed mid-request leaves behind: the claim, with no response.
        await using (var db = fixture.App.Db())
        {
            var claim = await db.Context.IdempotencyKeys.SingleAsync(r => r.Key == key);
            claim.State = "in_progress";
            claim.ResponseStatus = null;
            claim.ResponseBody = null;
            await db.Context.SaveChangesAsync();
        }
        fixture.Clock.Advance(TimeSpan.FromSeconds(121));

        var retried = await guest.SendAsync(CreateIntent(key, body));
        var replayed = await guest.SendAsync(CreateIntent(key, body));

        Assert.Equal(200, (int)retried.StatusCode);
        Assert.False(retried.Headers.Contains("Idempotent-Replayed")); // ran again: nobody else was going to finish it
        Assert.True(replayed.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(await retried.Content.ReadAsStringAsync(), await replayed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_request_slower_than_the_lease_whose_claim_a_retry_took_over_still_answers_and_stores_nothing()
    {
        using var guest = fixture.App.ClientFrom("127.0.0.34");
        var key = Guid.NewGuid().ToString();
        var body = new { plan = "basic", provider = FlakyProvider.ProviderName };
        fixture.Flaky.HoldNext();
        var slow = guest.SendAsync(CreateIntent(key, body)); // claims the key, then waits inside the provider
        await fixture.Flaky.Held.WaitAsync(TimeSpan.FromSeconds(30));
        fixture.Clock.Advance(TimeSpan.FromSeconds(121)); // past the lease: to a retry it looks abandoned

        var retried = await guest.SendAsync(CreateIntent(key, body));
        fixture.Flaky.Release();
        var slowAnswer = await slow.WaitAsync(TimeSpan.FromSeconds(30));
        var replayed = await guest.SendAsync(CreateIntent(key, body));

        Assert.Equal(200, (int)retried.StatusCode);
        Assert.Equal(200, (int)slowAnswer.StatusCode); // was a 500 after its work was done
        Assert.True(replayed.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(await retried.Content.ReadAsStringAsync(), await replayed.Content.ReadAsStringAsync()); // the retry's answer is kept
    }

    private async Task<string?> PlanOf(string paymentId)
    {
        await using var db = fixture.App.Db();
        return (await db.Context.Payments.FindAsync(paymentId))?.Plan;
    }
}

public sealed class IdempotencyRetryTests_Sqlite(SqliteIdempotencyEdgeApp app) : IdempotencyRetryTests<SqliteIdempotencyEdgeApp>(app);

public sealed class IdempotencyRetryTests_Postgres(PostgresIdempotencyEdgeApp app) : IdempotencyRetryTests<PostgresIdempotencyEdgeApp>(app);
