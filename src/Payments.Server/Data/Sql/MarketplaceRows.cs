using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Payments.Core.Providers;
using Payments.Server.Data.Entities;

namespace Payments.Server.Data.Sql;

/// <summary>
/// Hand-written SQL of the marketplace: the connected-account row that setup and <c>account.updated</c> both write
/// (whichever comes first creates it), and linking a vendor to its account once.
/// </summary>
public static class MarketplaceRows
{
    /// <summary>
    /// An event's account state, unless the row already holds a later event's: the <c>WHERE</c> of the upsert is the
    /// ordering rule, so two deliveries racing on two nodes still leave the newer one. A row written only by our create
    /// call (<c>reported_at</c> NULL) always yields to an event.
    /// </summary>
    public const string UpsertReported =
        "INSERT INTO connected_accounts (provider, account_id, vendor_id, charges_enabled, payouts_enabled, details_submitted, " +
        "requirements_due, disabled_reason, reported_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) " +
        "ON CONFLICT (provider, account_id) DO UPDATE SET vendor_id = COALESCE(excluded.vendor_id, connected_accounts.vendor_id), " +
        "charges_enabled = excluded.charges_enabled, payouts_enabled = excluded.payouts_enabled, details_submitted = excluded.details_submitted, " +
        "requirements_due = excluded.requirements_due, disabled_reason = excluded.disabled_reason, reported_at = excluded.reported_at, " +
        "updated_at = excluded.updated_at " +
        "WHERE connected_accounts.reported_at IS NULL OR connected_accounts.reported_at <= excluded.reported_at";

    public static RowWrite Reported(string provider, ConnectedAccountNews news, DateTimeOffset now, SqlDialect dialect) =>
        new(UpsertReported,
        [
            Arg.Text(provider), Arg.Text(news.Account.AccountId), Arg.Text(news.VendorId), Bool(news.Account.ChargesEnabled),
            Bool(news.Account.PayoutsEnabled), Bool(news.Account.DetailsSubmitted),
            Arg.Text(System.Text.Json.JsonSerializer.Serialize(news.Account.RequirementsDue)), Arg.Text(news.Account.DisabledReason),
            dialect.Time(news.ReportedAt), dialect.Time(now),
        ]);

    private static Arg Bool(bool value) => new(value, DbType.Boolean);

    /// <summary>
    /// After our create call: the account row unless an event made it first (then the event's state stands and only the
    /// vendor is filled in), and the vendor linked to the account unless it already has one. One write transaction.
    /// Returns the vendor's account as it now is (a concurrent setup may have linked another first).
    /// </summary>
    public static async Task<(string Provider, string AccountId)> LinkAsync(
        PaymentsDb db, string vendorId, string provider, ConnectedAccount created, DateTimeOffset now, CancellationToken ct)
    {
        var dialect = SqlDialect.Of(db);
        await using var tx = await db.BeginWriteAsync(ct);
        var batch = new StatementBatch(db.Database.GetDbConnection(), db.Database.CurrentTransaction!.GetDbTransaction(), dialect.Kind);
        batch.Add(0, InsertCreated,
            Arg.Text(provider), Arg.Text(created.AccountId), Arg.Text(vendorId), Bool(created.ChargesEnabled), Bool(created.PayoutsEnabled),
            Bool(created.DetailsSubmitted), Arg.Text(System.Text.Json.JsonSerializer.Serialize(created.RequirementsDue)),
            Arg.Text(created.DisabledReason), dialect.Time(now));
        batch.Add(0, LinkVendor, Arg.Text(provider), Arg.Text(created.AccountId), dialect.Time(now), Arg.Text(vendorId));
        if (await batch.ExecuteAsync(ct) is { } failed) throw new DbUpdateException("Could not link the vendor to its account.", failed.Error);
        var vendor = await db.Vendors.AsNoTracking().SingleAsync(v => v.Id == vendorId, ct);
        await tx.CommitAsync(ct);
        return (vendor.Provider!, vendor.AccountId!);
    }

    private const string InsertCreated =
        "INSERT INTO connected_accounts (provider, account_id, vendor_id, charges_enabled, payouts_enabled, details_submitted, " +
        "requirements_due, disabled_reason, reported_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9) " +
        "ON CONFLICT (provider, account_id) DO UPDATE SET vendor_id = COALESCE(connected_accounts.vendor_id, excluded.vendor_id)";

    private const string LinkVendor = "UPDATE vendors SET provider = $1, account_id = $2, updated_at = $3 WHERE id = $4 AND account_id IS NULL";

    /// <summary>The account rows of some (provider, account id) pairs, for a webhook batch.</summary>
    public static async Task<List<ConnectedAccountRow>> FindAsync(PaymentsDb db, IReadOnlyList<(string Provider, string AccountId)> keys, CancellationToken ct)
    {
        var ids = keys.Select(k => k.AccountId).Distinct().ToArray();
        var rows = await db.ConnectedAccounts.AsNoTracking().Where(a => ids.Contains(a.AccountId)).ToListAsync(ct);
        return rows.Where(r => keys.Contains((r.Provider, r.AccountId))).ToList();
    }

    /// <summary>A destination charge's split, written in the same atomic write as its payment (<see cref="NewPaymentRows"/>).</summary>
    public static RowWrite InsertSplit(VendorPayment v) => new(
        "INSERT INTO vendor_payments (payment_id, vendor_id, order_id, account_id, amount_vendor_minor, platform_fee_minor, platform_fee_bps) " +
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [Arg.Text(v.PaymentId), Arg.Text(v.VendorId), Arg.Text(v.OrderId), Arg.Text(v.AccountId), Arg.Long(v.AmountVendorMinor),
            Arg.Long(v.PlatformFeeMinor), Arg.Long(v.PlatformFeeBps)]);
}
