using Microsoft.EntityFrameworkCore;
using Payments.Providers.Dummy;

namespace Payments.Server.Data.Sql;

/// <summary>
/// The dummy provider's billing objects in our database (<c>dummy_billing_objects</c>, migration 0015), so that
/// its catalog and customers outlive a restart and are shared by every node. The unique idempotency key decides
/// a race between two creates, as <see cref="DummyCheckoutStore"/>'s does.
/// </summary>
public sealed class DummyBillingStore(IServiceScopeFactory scopes, TimeProvider clock) : IDummyBillingStore
{
    public static void Register(IServiceCollection services) => services.AddSingleton<IDummyBillingStore, DummyBillingStore>();

    public async Task<DummyBillingObject> CreateOnceAsync(string idempotencyKey, DummyBillingObject candidate, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        var now = SqlDialect.Of(db).TimeValue(clock.GetUtcNow());
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO dummy_billing_objects (id, kind, idempotency_key, data, created_at, updated_at)
                VALUES ({candidate.Id}, {candidate.Kind}, {idempotencyKey}, {candidate.Data}, {now}, {now})
                ON CONFLICT (idempotency_key) DO NOTHING
                """, ct);
            await tx.CommitAsync(ct);
        }
        return (await db.Database.SqlQueryRaw<Row>(Select + " WHERE idempotency_key = {0}", idempotencyKey).SingleAsync(ct)).ToObject();
    }

    public async Task<DummyBillingObject?> FindAsync(string id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        return (await db.Database.SqlQueryRaw<Row>(Select + " WHERE id = {0}", id).SingleOrDefaultAsync(ct))?.ToObject();
    }

    public async Task<bool> UpdateAsync(string id, string data, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        var now = SqlDialect.Of(db).TimeValue(clock.GetUtcNow());
        await using var tx = await db.BeginWriteAsync(ct);
        var changed = await db.Database.ExecuteSqlAsync($"UPDATE dummy_billing_objects SET data = {data}, updated_at = {now} WHERE id = {id}", ct);
        await tx.CommitAsync(ct);
        return changed == 1;
    }

    public async Task<IReadOnlyList<DummyBillingObject>> ListAsync(string kind, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        return (await db.Database.SqlQueryRaw<Row>(Select + " WHERE kind = {0} ORDER BY created_at, id", kind).ToListAsync(ct)).Select(r => r.ToObject()).ToList();
    }

    private const string Select = """SELECT id AS "Id", kind AS "Kind", data AS "Data" FROM dummy_billing_objects""";

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Data { get; set; } = "";

        public DummyBillingObject ToObject() => new(Id, Kind, Data);
    }
}
