using Microsoft.EntityFrameworkCore;
using Payments.Server.Data.Entities;

namespace Payments.Server.Data;

/// <summary>The billing tables (migration 0015) in the EF model; see Features/Billing.</summary>
internal static class BillingModel
{
    public static void Map(ModelBuilder model)
    {
        model.Entity<CatalogProductRow>(e => e.ToTable("catalog_products"));
        model.Entity<CatalogPriceRow>(e =>
        {
            e.ToTable("catalog_prices");
            e.HasOne<CatalogProductRow>().WithMany().HasForeignKey(p => p.ProductId);
        });
        model.Entity<BillingCustomerRow>(e =>
        {
            e.ToTable("billing_customers");
            e.HasIndex(c => c.UserId).IsUnique();
        });
        // The four external-id tables share a shape, not a table: the base class is no entity of its own.
        model.Ignore<ExternalRecord>();
        model.Entity<ExternalProduct>(e =>
        {
            e.ToTable("external_products");
            e.HasKey(x => new { x.Provider, x.ExternalId });
            e.HasIndex(x => new { x.Provider, x.ProductId }).IsUnique();
        });
        model.Entity<ExternalPrice>(e =>
        {
            e.ToTable("external_prices");
            e.HasKey(x => new { x.Provider, x.ExternalId });
            e.HasIndex(x => new { x.Provider, x.PriceId }).IsUnique();
        });
        model.Entity<ExternalCustomer>(e =>
        {
            e.ToTable("external_customers");
            e.HasKey(x => new { x.Provider, x.ExternalId });
            e.HasIndex(x => new { x.Provider, x.CustomerId }).IsUnique();
        });
        model.Entity<ExternalSubscription>(e =>
        {
            e.ToTable("external_subscriptions");
            e.HasKey(x => new { x.Provider, x.ExternalId });
            e.HasIndex(x => new { x.Provider, x.SubscriptionId }).IsUnique();
        });
    }
}
