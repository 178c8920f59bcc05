using Microsoft.EntityFrameworkCore;
using Payments.Core.Marketplace;
using Payments.Core.Payments;
using Payments.Core.Money;
using Payments.Server.Data;
using Payments.Server.Features.Payments;
using Payments.Server.Features.Vendors;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Admin;

/// <summary>
/// <c>GET /admin/vendors</c>: every vendor with its account status, fee, payout settings and balance, and the latest
/// vendor payments with their split (total, the vendor's share, the platform's fee), 50 a page.
/// </summary>
public static class VendorsPage
{
    public const int PageSize = 50;

    public static void Map(RouteGroupBuilder admin) => admin.MapGet("/vendors", ShowAsync);

    private static async Task<IResult> ShowAsync(HttpContext http, PaymentsDb db, int? page, CancellationToken ct)
    {
        var vendors = await db.Vendors.AsNoTracking().OrderBy(v => v.Name).ThenBy(v => v.Id).ToListAsync(ct);
        var rows = new List<string>();
        foreach (var v in vendors)
        {
            var config = await VendorConfig.ViewAsync(db, v, ct);
            var balances = await MarketLedger.BalancesAsync(db, MarketAccounts.Vendor(v.Id), ct);
            rows.Add($"<tr><td>{Html.E(v.Name)}<br><code>{Html.E(v.Id)}</code></td><td>{Html.E(config.AccountStatus)}</td>" +
                     $"<td>{Html.E(v.Provider ?? "")} <code>{Html.E(v.AccountId ?? "")}</code></td><td>{v.PlatformFeeBps / 100m:0.##} %</td>" +
                     $"<td>{Html.E(v.PayoutInterval)}{(v.MinimumPayoutMinor > 0 ? $", minimum {Html.E(new Money(v.MinimumPayoutMinor, Currency.Of(v.Currency)).ToString())}" : "")}</td>" +
                     $"<td>{string.Join("<br>", balances.Select(b => Html.E(b.AmountDisplay)))}</td></tr>");
        }

        var number = AdminLayout.PageNumber(page);
        var total = await db.VendorPayments.CountAsync(ct);
        var splits = await (from s in db.VendorPayments.AsNoTracking()
                            join p in db.Payments.AsNoTracking() on s.PaymentId equals p.Id
                            orderby p.CreatedAt descending, p.Id descending
                            select new { s, p }).Skip((number - 1) * PageSize).Take(PageSize).ToListAsync(ct);
        var names = vendors.ToDictionary(v => v.Id, v => v.Name);
        string M(long minor, string code) => Html.E(new Money(minor, Currency.Of(code)).ToString());
        var payments = splits.Select(r =>
            $"<tr><td><a href=\"/admin/payments/{Html.E(r.p.Id)}\"><code>{Html.E(r.p.Id)}</code></a></td><td>{Html.E(names.GetValueOrDefault(r.s.VendorId, r.s.VendorId))}</td>" +
            $"<td>{Html.E(r.s.OrderId)}</td><td>{Html.E(r.p.Status.ToWire())}</td><td>{M(r.p.AmountMinor, r.p.Currency)}</td>" +
            $"<td>{M(r.s.AmountVendorMinor, r.p.Currency)}</td><td>{M(r.s.PlatformFeeMinor, r.p.Currency)}</td><td>{M(r.p.RefundedMinor, r.p.Currency)}</td>" +
            $"<td>{AdminLayout.Time(r.p.CreatedAt)}</td></tr>");

        var body = $"""
            <h1>Vendors</h1>
            <table><caption>{vendors.Count} vendors</caption>
              <thead><tr><th scope="col">Vendor</th><th scope="col">Account</th><th scope="col">Provider</th><th scope="col">Fee</th><th scope="col">Payouts</th><th scope="col">Balance</th></tr></thead>
              <tbody>{string.Concat(rows)}</tbody></table>
            <h2>Vendor payments</h2>
            <table><caption>Each payment's split: what the customer paid, the vendor's share and the platform's fee</caption>
              <thead><tr><th scope="col">Payment</th><th scope="col">Vendor</th><th scope="col">Order</th><th scope="col">Status</th><th scope="col">Total</th><th scope="col">Vendor amount</th><th scope="col">Fee</th><th scope="col">Refunded</th><th scope="col">Created</th></tr></thead>
              <tbody>{string.Concat(payments)}</tbody></table>
            {AdminLayout.Pager(http.Request, number, PageSize, total)}
            """;
        return AdminLayout.Page(http, "Vendors", body, "/admin/vendors");
    }
}
