using Microsoft.EntityFrameworkCore;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Billing;

/// <summary>With default settings the service syncs its catalog to its billing providers (here the dummy) by itself after starting.</summary>
public class CatalogSyncOnStartTests(SqliteApp fixture) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task After_start_the_dummy_has_every_configured_price()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        int synced;
        do
        {
            await using var db = fixture.App.Db();
            synced = await db.Context.ExternalPrices.AsNoTracking().CountAsync(e => e.Provider == "dummy");
            if (synced == 3) break;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        Assert.Equal(3, synced);
    }
}
