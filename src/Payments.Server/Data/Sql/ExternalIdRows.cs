using Microsoft.EntityFrameworkCore;

namespace Payments.Server.Data.Sql;

/// <summary>The external-id tables: a provider's id beside ours, unique both ways (migration 0015).</summary>
public enum ExternalTable { Products, Prices, Customers, Subscriptions }

/// <summary>
/// Records provider ids. Two nodes (or a retry) may both hear back from the provider: the first row kept for
/// (provider, our id) wins and both go on with it, which the unique keys decide, never a read before the write.
/// </summary>
public static class ExternalIdRows
{
    /// <summary>Keeps <paramref name="externalId"/> for our record unless one is kept already; answers the one kept.</summary>
    public static async Task<string> KeepAsync(PaymentsDb db, ExternalTable table, string provider, string externalId, string ourId,
        DateTimeOffset now, CancellationToken ct)
    {
        var (name, ours) = Of(table);
        var at = SqlDialect.Of(db).TimeValue(now);
        await using (var tx = await db.BeginWriteAsync(ct))
        {
#pragma warning disable EF1002 // table and column names are ours (Of), values are parameters
            await db.Database.ExecuteSqlRawAsync(
                $"INSERT INTO {name} (provider, external_id, {ours}, created_at, synced_at) VALUES ({{0}}, {{1}}, {{2}}, {{3}}, {{3}}) ON CONFLICT DO NOTHING",
                [provider, externalId, ourId, at], ct);
            await tx.CommitAsync(ct);
        }
        return await db.Database.SqlQueryRaw<string>(
            $"SELECT external_id AS \"Value\" FROM {name} WHERE provider = {{0}} AND {ours} = {{1}}", provider, ourId).SingleAsync(ct);
#pragma warning restore EF1002
    }

    private static (string Table, string OurColumn) Of(ExternalTable table) => table switch
    {
        ExternalTable.Products => ("external_products", "product_id"),
        ExternalTable.Prices => ("external_prices", "price_id"),
        ExternalTable.Customers => ("external_customers", "customer_id"),
        ExternalTable.Subscriptions => ("external_subscriptions", "subscription_id"),
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, null),
    };
}
