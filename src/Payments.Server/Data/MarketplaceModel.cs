using Microsoft.EntityFrameworkCore;
using Payments.Server.Data.Entities;

namespace Payments.Server.Data;

/// <summary>The marketplace tables (migration 0019) in the EF model; see Features/Vendors.</summary>
internal static class MarketplaceModel
{
    public static void Map(ModelBuilder model)
    {
        model.Entity<Vendor>(e =>
        {
            e.ToTable("vendors");
            e.HasIndex(v => new { v.Provider, v.AccountId }).IsUnique();
        });
        model.Entity<ConnectedAccountRow>(e =>
        {
            e.ToTable("connected_accounts");
            e.HasKey(a => new { a.Provider, a.AccountId });
        });
        model.Entity<VendorPayment>(e =>
        {
            e.ToTable("vendor_payments");
            e.HasKey(p => p.PaymentId);
            e.HasIndex(p => new { p.VendorId, p.OrderId }).IsUnique();
        });
        model.Entity<MarketTransaction>(e =>
        {
            e.ToTable("market_transactions");
            e.HasIndex(t => new { t.Kind, t.PaymentId, t.Reference }).IsUnique();
            e.HasMany(t => t.Entries).WithOne().HasForeignKey(x => x.TransactionId);
        });
        model.Entity<MarketEntryRow>(e => e.ToTable("market_entries"));
    }
}
