using Microsoft.EntityFrameworkCore;
using Payments.Core.Errors;
using Payments.Core.Marketplace;
using Payments.Core.Payments;
using Payments.Server.Data;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Vendors;

/// <summary>
/// The signed-in vendor's own money: <c>GET /api/v1/vendor/balance</c> (per currency, sums of its ledger entries) and
/// its payments with their split. Another vendor's payment is "not found", like someone else's payment.
/// </summary>
public static class VendorBalance
{
    public sealed record Response(string VendorId, IReadOnlyList<CurrencyBalance> Balances);
    public sealed record FeesResponse(IReadOnlyList<CurrencyBalance> Balances);

    public sealed record PaymentView(
        string PaymentId, string OrderId, string Status, long AmountTotal, long AmountVendor, long PlatformFee, int PlatformFeeBps, string Currency,
        long Refunded, string Provider, DateTimeOffset CreatedAt, DateTimeOffset? PaidAt);
    public sealed record PaymentList(IReadOnlyList<PaymentView> Items);

    public static void Map(IEndpointRouteBuilder app)
    {
        var vendor = app.MapGroup("/api/v1/vendor").WithTags("Marketplace").RequireAuthorization(VendorAccess.Policy);
        vendor.MapGet("/balance", async (HttpContext http, PaymentsDb db, CancellationToken ct) =>
            {
                var me = await VendorAccess.CurrentAsync(http, db, ct);
                return Results.Ok(new Response(me.Id, await MarketLedger.BalancesAsync(db, MarketAccounts.Vendor(me.Id), ct)));
            })
            .WithName("GetVendorBalance").WithSummary("The calling vendor's balance per currency.").Produces<Response>().ProducesProblem(StatusCodes.Status404NotFound);
        vendor.MapGet("/payments", async (HttpContext http, PaymentsDb db, CancellationToken ct) =>
            {
                var me = await VendorAccess.CurrentAsync(http, db, ct);
                return Results.Ok(new PaymentList(await ListAsync(db, me.Id, ct)));
            })
            .WithName("ListVendorPayments").WithSummary("The calling vendor's payments, newest first, with each split.").Produces<PaymentList>();
        vendor.MapGet("/payments/{paymentId}", async (string paymentId, HttpContext http, PaymentsDb db, CancellationToken ct) =>
            {
                var me = await VendorAccess.CurrentAsync(http, db, ct);
                return Results.Ok(await OneAsync(db, me.Id, paymentId, ct));
            })
            .WithName("GetVendorPayment").WithSummary("One of the calling vendor's payments (another vendor's is not found).")
            .Produces<PaymentView>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static async Task<IReadOnlyList<PaymentView>> ListAsync(PaymentsDb db, string vendorId, CancellationToken ct)
    {
        var rows = await (from v in db.VendorPayments.AsNoTracking()
                          join p in db.Payments.AsNoTracking() on v.PaymentId equals p.Id
                          where v.VendorId == vendorId
                          select new { v, p }).ToListAsync(ct);
        return rows.OrderByDescending(r => r.p.CreatedAt).ThenByDescending(r => r.p.Id).Select(r => View(r.v, r.p)).ToList();
    }

    private static async Task<PaymentView> OneAsync(PaymentsDb db, string vendorId, string paymentId, CancellationToken ct)
    {
        // The vendor is part of the lookup: another vendor's payment id finds nothing, exactly like a made-up one.
        var row = await (from v in db.VendorPayments.AsNoTracking()
                         join p in db.Payments.AsNoTracking() on v.PaymentId equals p.Id
                         where v.VendorId == vendorId && v.PaymentId == paymentId
                         select new { v, p }).FirstOrDefaultAsync(ct);
        return row is null ? throw PaymentsException.NotFound($"No payment '{paymentId}'.") : View(row.v, row.p);
    }

    internal static PaymentView View(VendorPayment v, Payment p) =>
        new(p.Id, v.OrderId, p.Status.ToWire(), p.AmountMinor, v.AmountVendorMinor, v.PlatformFeeMinor, v.PlatformFeeBps, p.Currency,
            p.RefundedMinor, p.Provider, p.CreatedAt, p.PaidAt);
}
