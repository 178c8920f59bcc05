using Microsoft.EntityFrameworkCore;
using Payments.Server.Data.Entities;

namespace Payments.Server.Data;

/// <summary>The subscription tables (migration 0017) in the EF model; see Features/Subscriptions.</summary>
internal static class SubscriptionModel
{
    public static void Map(ModelBuilder model)
    {
        model.Entity<SubscriptionRow>(e =>
        {
            e.ToTable("subscriptions");
            e.HasOne<BillingCustomerRow>().WithMany().HasForeignKey(s => s.CustomerId);
            e.HasOne<CatalogPriceRow>().WithMany().HasForeignKey(s => s.PriceId);
        });
        model.Entity<SubscriptionInvoiceRow>(e =>
        {
            e.ToTable("subscription_invoices");
            e.HasKey(i => new { i.Provider, i.ExternalId });
            e.HasOne<SubscriptionRow>().WithMany().HasForeignKey(i => i.SubscriptionId);
            // Known to EF so that a new payment is inserted before the invoice row that names it.
            e.HasOne<Payment>().WithMany().HasForeignKey(i => i.PaymentId);
        });
        model.Entity<BillingQueuedEvent>(e =>
        {
            e.ToTable("billing_event_queue");
            e.HasIndex(q => new { q.Provider, q.EventId }).IsUnique();
        });
    }
}
