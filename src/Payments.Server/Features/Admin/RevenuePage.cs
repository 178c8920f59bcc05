using System.Text;
using Microsoft.EntityFrameworkCore;
using Payments.Core.Payments;
using Payments.Server.Data;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Admin;

/// <summary><c>GET /admin/revenue?days=7|30|90</c>: a chart and a table of daily net revenue per currency (UTC days, today included).</summary>
public static class RevenuePage
{
    private static readonly int[] Choices = [7, 30, 90];

    /// <summary>The statuses <see cref="PaymentStatusNames.IsPaid"/> accepts, as a list the database query can use.</summary>
    private static readonly PaymentStatus[] Paid = Enum.GetValues<PaymentStatus>().Where(s => s.IsPaid()).ToArray();

    public static void Map(RouteGroupBuilder admin) => admin.MapGet("/revenue", ShowAsync);

    private static async Task<IResult> ShowAsync(HttpContext http, PaymentsDb db, TimeProvider clock, int? days, CancellationToken ct)
    {
        var span = days is { } d && Choices.Contains(d) ? d : 30;
        var last = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var first = last.AddDays(1 - span);
        var from = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        // Only what the sums need leaves the database; grouping by UTC day happens here, because
        // SQLite stores instants as ticks and PostgreSQL as timestamptz (one LINQ query for both).
        var rows = await db.Payments.AsNoTracking()
            .Where(p => p.PaidAt != null && p.PaidAt >= from && Paid.Contains(p.Status))
            .Select(p => new { p.PaidAt, p.Currency, p.AmountMinor, p.RefundedMinor })
            .ToListAsync(ct);
        var series = Revenue.Daily(rows.Select(r => new Revenue.PaidRow(r.PaidAt!.Value, r.Currency, r.AmountMinor, r.RefundedMinor)), first, last);

        var options = string.Concat(Choices.Select(c => $"<option value=\"{c}\"{(c == span ? " selected" : "")}>Last {c} days</option>"));
        var html = new StringBuilder("<h1>Revenue</h1>")
            .Append("<p class=\"hint\">Net = paid − refunded so far, of payments by the UTC day they were paid. Each currency on its own.</p>")
            .Append("<form method=\"get\" action=\"/admin/revenue\" class=\"filters\" aria-label=\"Period\">")
            .Append($"<div><label for=\"r-days\">Period</label><select id=\"r-days\" name=\"days\">{options}</select></div>")
            .Append("<div class=\"actions\"><button type=\"submit\">Show</button></div></form>");
        if (series.Count == 0) html.Append("<p>No payments were paid in this period.</p>");
        foreach (var s in series) html.Append(RevenueChart.Render(s));
        return AdminLayout.Page(http, "Revenue", html.ToString(), "/admin/revenue");
    }
}
