using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Payments.Core.Payments;
using Payments.Server.Data.Entities;

namespace Payments.Server.Data;

/// <summary>
/// One EF Core model for SQLite and PostgreSQL. Tables and columns are snake_case so the SQL in
/// <c>Data/Migrations</c> reads naturally; the schema itself is created by those scripts (see
/// <see cref="MigrationRunner"/>), not by EF.
/// </summary>
public class PaymentsDb(DbContextOptions<PaymentsDb> options) : DbContext(options)
{
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<PaymentEvent> PaymentEvents => Set<PaymentEvent>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Refund> Refunds => Set<Refund>();
    public DbSet<IdempotencyRecord> IdempotencyKeys => Set<IdempotencyRecord>();
    public DbSet<CreditAccount> CreditAccounts => Set<CreditAccount>();
    public DbSet<CreditPurchase> CreditPurchases => Set<CreditPurchase>();
    public DbSet<LedgerTransaction> CreditTransactions => Set<LedgerTransaction>();
    public DbSet<LedgerEntry> CreditEntries => Set<LedgerEntry>();
    public DbSet<OutboxEvent> Outbox => Set<OutboxEvent>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<OutboxDelivery> OutboxDeliveries => Set<OutboxDelivery>();
    public DbSet<MailOutboxRow> MailOutbox => Set<MailOutboxRow>();
    public DbSet<CatalogProductRow> CatalogProducts => Set<CatalogProductRow>();
    public DbSet<CatalogPriceRow> CatalogPrices => Set<CatalogPriceRow>();
    public DbSet<BillingCustomerRow> BillingCustomers => Set<BillingCustomerRow>();
    public DbSet<ExternalProduct> ExternalProducts => Set<ExternalProduct>();
    public DbSet<ExternalPrice> ExternalPrices => Set<ExternalPrice>();
    public DbSet<ExternalCustomer> ExternalCustomers => Set<ExternalCustomer>();
    public DbSet<ExternalSubscription> ExternalSubscriptions => Set<ExternalSubscription>();
    public DbSet<SubscriptionRow> Subscriptions => Set<SubscriptionRow>();
    public DbSet<SubscriptionInvoiceRow> SubscriptionInvoices => Set<SubscriptionInvoiceRow>();
    public DbSet<BillingQueuedEvent> BillingEventQueue => Set<BillingQueuedEvent>();
    public DbSet<Vendor> Vendors => Set<Vendor>();
    public DbSet<ConnectedAccountRow> ConnectedAccounts => Set<ConnectedAccountRow>();
    public DbSet<VendorPayment> VendorPayments => Set<VendorPayment>();
    public DbSet<MarketTransaction> MarketTransactions => Set<MarketTransaction>();
    public DbSet<MarketEntryRow> MarketEntries => Set<MarketEntryRow>();
    public DbSet<VendorCustomer> VendorCustomers => Set<VendorCustomer>();
    public DbSet<VendorPayout> VendorPayouts => Set<VendorPayout>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Payment>(e =>
        {
            e.ToTable("payments");
            e.HasKey(p => p.Id);
            e.Ignore(p => p.Amount);
            e.Property(p => p.Status).HasConversion(s => s.ToWire(), s => PaymentStatusNames.Parse(s));
            e.HasIndex(p => new { p.Provider, p.ProviderPaymentId }).IsUnique();
        });
        model.Entity<PaymentEvent>(e =>
        {
            e.ToTable("payment_events");
            e.HasIndex(p => new { p.Provider, p.ExternalEventId }).IsUnique();
        });
        model.Entity<AuditEntry>(e => e.ToTable("audit_log"));
        model.Entity<ApiKey>(e =>
        {
            e.ToTable("api_keys");
            e.HasIndex(k => k.SecretHash).IsUnique();
        });
        model.Entity<Refund>(e =>
        {
            e.ToTable("refunds");
            e.HasIndex(r => r.PaymentId);
            e.HasIndex(r => new { r.RequestedBy, r.RequestKey }).IsUnique();
        });
        model.Entity<IdempotencyRecord>(e =>
        {
            e.ToTable("idempotency_keys");
            e.HasKey(r => new { r.Scope, r.Key });
        });
        MapCredits(model);
        model.Entity<OutboxEvent>(e => e.ToTable("outbox_events"));
        model.Entity<WebhookEndpoint>(e => e.ToTable("webhook_endpoints"));
        model.Entity<OutboxDelivery>(e =>
        {
            e.ToTable("webhook_deliveries");
            e.HasIndex(d => new { d.EndpointId, d.OutboxId }).IsUnique();
        });

        BillingModel.Map(model);
        SubscriptionModel.Map(model);
        MarketplaceModel.Map(model);
        model.Entity<MailOutboxRow>(e =>
        {
            e.ToTable("mail_outbox");
            e.HasIndex(m => m.DedupeKey).IsUnique();
        });

        ApplySnakeCase(model);
        if (Database.IsSqlite()) StoreTimesAsTicks(model);
    }

    /// <summary>The credit ledger (migration 0006); see Features/Credits.</summary>
    private static void MapCredits(ModelBuilder model)
    {
        model.Entity<CreditAccount>(e =>
        {
            e.ToTable("credit_accounts");
            e.HasKey(a => a.UserId);
            e.HasIndex(a => a.ReferralCode).IsUnique();
        });
        model.Entity<CreditPurchase>(e =>
        {
            e.ToTable("credit_purchases");
            e.HasKey(p => p.PaymentId);
            // Known to EF so it inserts the payment first (SQL has the same foreign key).
            e.HasOne<Payment>().WithOne().HasForeignKey<CreditPurchase>(p => p.PaymentId);
        });
        model.Entity<LedgerTransaction>(e =>
        {
            e.ToTable("credit_transactions");
            e.HasIndex(t => new { t.Kind, t.UserId, t.Reference }).IsUnique();
            e.HasMany(t => t.Entries).WithOne().HasForeignKey(x => x.TransactionId);
            e.HasOne<Payment>().WithMany().HasForeignKey(t => t.PaymentId);
        });
        model.Entity<LedgerEntry>(e => e.ToTable("credit_entries"));
    }

    /// <summary>
    /// SQLite has no time type and EF cannot translate DateTimeOffset comparisons there, so
    /// instants are stored as UTC ticks (INTEGER): sortable, comparable, exact.
    /// </summary>
    private static void StoreTimesAsTicks(ModelBuilder model)
    {
        var exact = new ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        var optional = new ValueConverter<DateTimeOffset?, long?>(
            v => v.HasValue ? v.Value.UtcTicks : null, v => v.HasValue ? new DateTimeOffset(v.Value, TimeSpan.Zero) : null);
        foreach (var entity in model.Model.GetEntityTypes())
        foreach (var property in entity.GetProperties())
        {
            if (property.ClrType == typeof(DateTimeOffset)) property.SetValueConverter(exact);
            else if (property.ClrType == typeof(DateTimeOffset?)) property.SetValueConverter(optional);
        }
    }

    private static void ApplySnakeCase(ModelBuilder model)
    {
        foreach (var entity in model.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
                property.SetColumnName(SnakeCase(property.Name));
            foreach (var index in entity.GetIndexes())
                index.SetDatabaseName($"ix_{entity.GetTableName()}_{string.Join("_", index.Properties.Select(p => SnakeCase(p.Name)))}");
        }
    }

    internal static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}
