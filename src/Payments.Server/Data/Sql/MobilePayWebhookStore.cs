using Microsoft.EntityFrameworkCore;
using Payments.Providers.MobilePay;

namespace Payments.Server.Data.Sql;

/// <summary>
/// Webhooks registered at Vipps MobilePay and their signing secrets, in our database (migration 0014):
/// the CLI that registers a webhook and every node that verifies its deliveries share the database,
/// not a folder (docs/decisions.md).
/// </summary>
public sealed class MobilePayWebhookStore(IServiceScopeFactory scopes, TimeProvider clock) : IMobilePayWebhookStore
{
    /// <summary>Registers the store the MobilePay provider keeps its webhooks in.</summary>
    public static void Register(IServiceCollection services) => services.AddSingleton<IMobilePayWebhookStore, MobilePayWebhookStore>();

    public async Task SaveAsync(MobilePayWebhook webhook, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        var now = SqlDialect.Of(db).TimeValue(clock.GetUtcNow());
        var events = string.Join(' ', webhook.Events);
        await using var tx = await db.BeginWriteAsync(ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO mobilepay_webhooks (id, merchant_serial_number, url, events, secret, created_at)
            VALUES ({webhook.Id}, {webhook.MerchantSerialNumber}, {webhook.Url.AbsoluteUri}, {events}, {webhook.Secret}, {now})
            """, ct);
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<MobilePayWebhook>> ListAsync(string merchantSerialNumber, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT id AS "Id", merchant_serial_number AS "MerchantSerialNumber", url AS "Url", events AS "Events", secret AS "Secret"
            FROM mobilepay_webhooks WHERE merchant_serial_number = {merchantSerialNumber} ORDER BY created_at
            """).ToListAsync(ct);
        return rows.Select(r => new MobilePayWebhook(r.Id, r.MerchantSerialNumber, new Uri(r.Url), r.Events.Split(' ', StringSplitOptions.RemoveEmptyEntries), r.Secret))
            .ToList();
    }

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string MerchantSerialNumber { get; set; } = "";
        public string Url { get; set; } = "";
        public string Events { get; set; } = "";
        public string Secret { get; set; } = "";
    }
}
