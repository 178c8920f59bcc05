using Microsoft.EntityFrameworkCore;
using Payments.Core.Marketplace;
using Payments.Core.Money;
using Payments.Core.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Vendors;

/// <summary>
/// <c>GET /api/v1/vendor/payouts</c>: the calling vendor's payouts, what it has available to pay out, and who decides
/// when money leaves: the platform's payout worker when the vendor has a minimum payout (its account is then on a
/// manual schedule at the provider, see docs/decisions.md "Minimum payouts are ours"), the provider's own schedule otherwise.
/// </summary>
public static class VendorPayouts
{
    public sealed record PayoutView(
        string PayoutId, long Amount, string Currency, string Status, string Period, string Provider, string? ProviderPayoutId, string? FailureCode,
        DateTimeOffset CreatedAt);

    /// <param name="ManagedBy">platform (our worker pays out when the available balance reaches the minimum) or provider.</param>
    /// <param name="Available">The ledger balance less payouts made or under way, per currency.</param>
    public sealed record PayoutList(
        string VendorId, string ManagedBy, string PayoutSchedule, long MinimumPayout, IReadOnlyList<CurrencyBalance> Available, IReadOnlyList<PayoutView> Items);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/vendor/payouts", async (HttpContext http, PaymentsDb db, CancellationToken ct) =>
                Results.Ok(await ListAsync(db, await VendorAccess.CurrentAsync(http, db, ct), ct)))
            .WithTags("Marketplace").RequireAuthorization(VendorAccess.Policy)
            .WithName("ListVendorPayouts").WithSummary("The calling vendor's payouts, newest first, and its balance available to pay out.")
            .Produces<PayoutList>().ProducesProblem(StatusCodes.Status404NotFound);

    public static bool ManagedByPlatform(Vendor vendor) => vendor.MinimumPayoutMinor > 0;

    public static async Task<PayoutList> ListAsync(PaymentsDb db, Vendor vendor, CancellationToken ct)
    {
        var rows = await db.VendorPayouts.AsNoTracking().Where(p => p.VendorId == vendor.Id).ToListAsync(ct);
        var items = rows.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id)
            .Select(p => new PayoutView(p.Id, p.AmountMinor, p.Currency, p.Status, p.Period, p.Provider, p.ProviderPayoutId, p.FailureCode, p.CreatedAt))
            .ToList();
        var available = (await AvailableAsync(db, vendor.Id, ct))
            .Select(a => new CurrencyBalance(a.Key, a.Value, new Money(a.Value, Currency.Of(a.Key)).ToString())).ToList();
        return new PayoutList(vendor.Id, ManagedByPlatform(vendor) ? "platform" : "provider", vendor.PayoutInterval, vendor.MinimumPayoutMinor, available, items);
    }

    /// <summary>Per currency: the vendor's ledger balance less every payout that was not refused (pending ones included).</summary>
    public static async Task<SortedDictionary<string, long>> AvailableAsync(PaymentsDb db, string vendorId, CancellationToken ct)
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var b in await MarketLedger.BalancesAsync(db, MarketAccounts.Vendor(vendorId), ct)) result[b.Currency] = b.Amount;
        var paid = await db.VendorPayouts.AsNoTracking().Where(p => p.VendorId == vendorId && p.Status != "failed" && p.Status != "canceled")
            .GroupBy(p => p.Currency).Select(g => new { Currency = g.Key, Amount = g.Sum(p => p.AmountMinor) }).ToListAsync(ct);
        foreach (var p in paid) result[p.Currency] = result.GetValueOrDefault(p.Currency) - p.Amount;
        return result;
    }

    public static string Wire(ProviderPayoutStatus status) => status switch
    {
        ProviderPayoutStatus.Pending => "pending",
        ProviderPayoutStatus.InTransit => "in_transit",
        ProviderPayoutStatus.Paid => "paid",
        ProviderPayoutStatus.Failed => "failed",
        ProviderPayoutStatus.Canceled => "canceled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
