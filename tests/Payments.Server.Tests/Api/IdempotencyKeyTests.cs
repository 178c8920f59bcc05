using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Api;

public abstract class IdempotencyKeyTests<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : AppFixture
{
    private static HttpRequestMessage CreateIntent(string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payment/create-intent") { Content = JsonContent.Create(body, options: Json.Options) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private async Task<int> PaymentsOwnedBy(string owner)
    {
        await using var db = fixture.App.Db();
        return await db.Context.Payments.CountAsync(p => p.OwnerId == owner);
    }

    [Fact]
    public async Task The_same_key_and_body_replay_the_first_response_and_create_one_payment()
    {
        using var client = fixture.App.Client().As(Credentials.Jwt("idem-1"));
        var key = Guid.NewGuid().ToString();

        var first = await client.SendAsync(CreateIntent(key, new { plan = "pro" }));
        var second = await client.SendAsync(CreateIntent(key, new { plan = "pro" }));

        Assert.Equal(200, (int)first.StatusCode);
        Assert.Equal(200, (int)second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await PaymentsOwnedBy("idem-1"));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused_with_422()
    {
        using var client = fixture.App.Client().As(Credentials.Jwt("idem-2"));
        var key = Guid.NewGuid().ToString();
        await client.SendAsync(CreateIntent(key, new { plan = "pro" }));
        var other = await client.SendAsync(CreateIntent(key, new { plan = "expert" }));
        Assert.Equal(422, (int)other.StatusCode);
        Assert.Equal("idempotency_key_reused", (await other.Body()).Str("code"));
        Assert.Equal(1, await PaymentsOwnedBy("idem-2"));
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_execute_once()
    {
        var key = Guid.NewGuid().ToString();
        var clients = Enumerable.Range(0, 8).Select(_ => fixture.App.Client().As(Credentials.Jwt("idem-3"))).ToArray();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sends = clients.Select(c => Task.Run(async () =>
        {
            await go.Task;
            var response = await c.SendAsync(CreateIntent(key, new { plan = "basic" }));
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        })).ToArray();
        go.SetResult();
        var results = await Task.WhenAll(sends);

        Assert.All(results, r => Assert.Equal(200, r.Item1));
        Assert.Single(results.Select(r => r.Item2).Distinct());
        Assert.Equal(1, await PaymentsOwnedBy("idem-3"));
        foreach (var c in clients) c.Dispose();
    }

    [Fact]
    public async Task Keys_belong_to_their_caller()
    {
        var key = Guid.NewGuid().ToString();
        using var a = fixture.App.Client().As(Credentials.Jwt("idem-4a"));
        using var b = fixture.App.Client().As(Credentials.Jwt("idem-4b"));
        var first = await (await a.SendAsync(CreateIntent(key, new { plan = "basic" }))).Body();
        var second = await (await b.SendAsync(CreateIntent(key, new { plan = "expert" }))).Body();
        Assert.NotEqual(first.Str("payment_id"), second.Str("payment_id"));
    }

    [Fact]
    public async Task Guests_from_different_addresses_do_not_share_keys()
    {
        using var first = fixture.App.ClientFrom("127.0.0.1");
        using var second = fixture.App.ClientFrom("127.0.0.2");
        var key = "order-1-" + Guid.NewGuid();

        var a = await (await first.SendAsync(CreateIntent(key, new { plan = "basic" }))).Body();
        var b = await (await second.SendAsync(CreateIntent(key, new { plan = "basic" }))).Body();
        var again = await (await second.SendAsync(CreateIntent(key, new { plan = "basic" }))).Body();

        Assert.NotEqual(a.Str("payment_id"), b.Str("payment_id"));
        Assert.Equal(b.Str("payment_id"), again.Str("payment_id")); // and each guest's own retry still replays
    }

    [Fact]
    public async Task A_refusal_is_stored_and_replayed_like_a_success()
    {
        using var client = fixture.App.Client().As(Credentials.Jwt("idem-5"));
        var key = Guid.NewGuid().ToString();
        var first = await client.SendAsync(CreateIntent(key, new { plan = "gold" }));
        var again = await client.SendAsync(CreateIntent(key, new { plan = "gold" }));
        Assert.Equal((422, 422), ((int)first.StatusCode, (int)again.StatusCode));
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_malformed_key_is_a_400()
    {
        using var client = fixture.App.Client();
        var response = await client.SendAsync(CreateIntent(new string('x', 300), new { plan = "basic" }));
        Assert.Equal(400, (int)response.StatusCode);
    }
}

public sealed class IdempotencyKeyTests_Sqlite(SqliteAuthApp app) : IdempotencyKeyTests<SqliteAuthApp>(app);

public sealed class IdempotencyKeyTests_Postgres(PostgresAuthApp app) : IdempotencyKeyTests<PostgresAuthApp>(app);
