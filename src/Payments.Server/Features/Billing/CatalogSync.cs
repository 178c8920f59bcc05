using Microsoft.EntityFrameworkCore;
using Payments.Core;
using Payments.Core.Billing;
using Payments.Core.Providers;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Data.Sql;

namespace Payments.Server.Features.Billing;

/// <summary>One thing a sync did, as the CLI prints it: "stripe: created price pro_monthly (price_…): 29.00 EUR / month".</summary>
public sealed record CatalogChange(string Scope, string Action, string Kind, string Key, string? Id, string? Detail = null)
{
    public override string ToString() =>
        $"{Scope}: {Action} {Kind} {Key}{(Id is null ? "" : $" ({Id})")}{(Detail is null ? "" : $": {Detail}")}";
}

public sealed record CatalogSyncReport(IReadOnlyList<CatalogChange> Changes, IReadOnlyList<(string Provider, string Error)> Failures)
{
    public bool Complete => Failures.Count == 0;
}

/// <summary>
/// Brings the recorded catalog and every billing provider up to the configured one (issue 13 item 1). First our
/// own rows, in one transaction under a lock (a product per id; a price version per set of terms, the previous
/// version of a key archived, keys no longer configured archived). Then each enabled <see cref="IBillingProvider"/>:
/// products created (or renamed), current price versions created, archived versions archived. Provider ids are
/// kept in the external-id tables; every call's idempotency key derives from our ids, so a sync interrupted
/// anywhere, run twice, or run by two nodes at once, creates each provider object once. A provider that fails is
/// reported and the others go on; what was done stays done.
/// </summary>
public sealed class CatalogSync(PaymentsDb db, Catalog catalog, ProviderRegistry providers, TimeProvider clock, ILogger<CatalogSync> log)
{
    private const int CatalogLock = 1;

    /// <param name="only">Providers to push to (all enabled billing providers when null); the recorded catalog is updated either way.</param>
    public async Task<CatalogSyncReport> RunAsync(IReadOnlyCollection<string>? only, CancellationToken ct)
    {
        var changes = new List<CatalogChange>();
        var failures = new List<(string, string)>();
        await RecordAsync(changes, ct);
        foreach (var provider in providers.EnabledWith<IBillingProvider>().Where(p => only is null || only.Contains(p.Name)))
        {
            try
            {
                await PushAsync(provider, changes, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                log.LogWarning(e, "Catalog sync with {Provider} failed", provider.Name);
                failures.Add((provider.Name, e.Message.ReplaceLineEndings(" ")));
            }
            db.ChangeTracker.Clear();
        }
        return new CatalogSyncReport(changes, failures);
    }

    /// <summary>Our rows: products, and a price version per set of terms.</summary>
    private async Task RecordAsync(List<CatalogChange> changes, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.BeginWriteAsync(ct);
        if (SqlDialect.Of(db).LockSql(BillingLocks.Space, CatalogLock) is { } lockSql)
            await db.Database.ExecuteSqlRawAsync(lockSql, ct); // two nodes starting at once record each version once

        var products = await db.CatalogProducts.ToDictionaryAsync(p => p.Id, ct);
        foreach (var product in catalog.Products)
        {
            if (!products.TryGetValue(product.Id, out var row))
            {
                db.CatalogProducts.Add(new CatalogProductRow { Id = product.Id, Name = product.Name, CreatedAt = now, UpdatedAt = now });
                changes.Add(new CatalogChange("catalog", "recorded", "product", product.Id, null, product.Name));
            }
            else if (row.Name != product.Name)
            {
                (row.Name, row.UpdatedAt) = (product.Name, now);
                changes.Add(new CatalogChange("catalog", "renamed", "product", product.Id, null, product.Name));
            }
        }

        // Archive first and save, then insert: one current version per key is a unique index.
        var current = await db.CatalogPrices.Where(p => p.ArchivedAt == null).ToListAsync(ct);
        foreach (var row in current)
        {
            var configured = catalog.TryGetPrice(row.LookupKey, out var price);
            if (configured && price.SameTermsAs(row.ProductId, row.AmountMinor, row.Currency, Interval(row), row.IntervalCount)) continue;
            row.ArchivedAt = now;
            changes.Add(new CatalogChange("catalog", "archived", "price", row.LookupKey, row.Id, configured ? "its terms changed" : "no longer configured"));
        }
        await db.SaveChangesAsync(ct);
        foreach (var price in catalog.Prices.Where(p => current.All(r => r.LookupKey != p.Key || r.ArchivedAt is not null)))
        {
            var row = new CatalogPriceRow
            {
                Id = Ids.New("prc", now), LookupKey = price.Key, ProductId = price.Product, AmountMinor = price.Amount.Minor,
                Currency = price.Amount.Currency.Code, BillingInterval = price.Interval.ToWire(), IntervalCount = price.IntervalCount, CreatedAt = now,
            };
            db.CatalogPrices.Add(row);
            changes.Add(new CatalogChange("catalog", "recorded", "price", price.Key, row.Id, price.Description));
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
    }

    /// <summary>One provider: products, then current versions, then archiving (the lookup key moves to the new version first).</summary>
    private async Task PushAsync(IBillingProvider provider, List<CatalogChange> changes, CancellationToken ct)
    {
        var name = provider.Name;
        var productIds = new Dictionary<string, string>(StringComparer.Ordinal);
        var knownProducts = await db.ExternalProducts.Where(e => e.Provider == name).ToDictionaryAsync(e => e.ProductId, ct);
        foreach (var product in await db.CatalogProducts.AsNoTracking().OrderBy(p => p.Id).ToListAsync(ct))
        {
            if (!knownProducts.TryGetValue(product.Id, out var known))
            {
                // The key carries the row's creation time: stable across retries, distinct for another installation on the same account.
                var created = await provider.UpsertProductAsync(
                    new CatalogProduct(product.Id, product.Name, null, $"catalog-product-{product.Id}-{product.CreatedAt.UtcTicks}"), ct);
                productIds[product.Id] = await ExternalIdRows.KeepAsync(db, ExternalTable.Products, name, created, product.Id, clock.GetUtcNow(), ct);
                changes.Add(new CatalogChange(name, "created", "product", product.Id, productIds[product.Id], product.Name));
                continue;
            }
            productIds[product.Id] = known.ExternalId;
            if (known.SyncedAt >= product.UpdatedAt) continue;
            await provider.UpsertProductAsync(
                new CatalogProduct(product.Id, product.Name, known.ExternalId, $"catalog-product-{product.Id}-{product.UpdatedAt.UtcTicks}"), ct);
            known.SyncedAt = clock.GetUtcNow();
            await db.SaveWriteAsync(ct);
            changes.Add(new CatalogChange(name, "renamed", "product", product.Id, known.ExternalId, product.Name));
        }

        var knownPrices = await db.ExternalPrices.Where(e => e.Provider == name).Select(e => e.PriceId).ToListAsync(ct);
        foreach (var row in await db.CatalogPrices.AsNoTracking().Where(p => p.ArchivedAt == null).OrderBy(p => p.LookupKey).ToListAsync(ct))
        {
            if (knownPrices.Contains(row.Id)) continue;
            var amount = Core.Money.Money.Of(row.AmountMinor, row.Currency);
            var created = await provider.CreatePriceAsync(new CatalogPrice(row.Id, row.LookupKey, productIds[row.ProductId], amount,
                Interval(row), row.IntervalCount, $"catalog-price-{row.Id}"), ct);
            var kept = await ExternalIdRows.KeepAsync(db, ExternalTable.Prices, name, created, row.Id, clock.GetUtcNow(), ct);
            changes.Add(new CatalogChange(name, "created", "price", row.LookupKey, kept, $"{amount} / {Interval(row).Describe(row.IntervalCount)}"));
        }

        var retired = await (from e in db.ExternalPrices
                             join p in db.CatalogPrices on e.PriceId equals p.Id
                             where e.Provider == name && p.ArchivedAt != null && e.SyncedAt < p.ArchivedAt
                             orderby p.ArchivedAt
                             select new { External = e, p.LookupKey }).ToListAsync(ct);
        foreach (var price in retired)
        {
            await provider.ArchivePriceAsync(price.External.ExternalId, $"catalog-price-{price.External.PriceId}-archive", ct);
            price.External.SyncedAt = clock.GetUtcNow();
            await db.SaveWriteAsync(ct);
            changes.Add(new CatalogChange(name, "archived", "price", price.LookupKey, price.External.ExternalId));
        }
    }

    private static BillingInterval Interval(CatalogPriceRow row) =>
        BillingIntervals.TryParse(row.BillingInterval, out var interval)
            ? interval
            : throw new InvalidOperationException($"catalog_prices {row.Id} holds an unknown interval '{row.BillingInterval}'.");
}
