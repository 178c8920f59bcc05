using System.Text;
using Payments.Server.Data;
using Payments.Server.Features.Audit;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Admin;

/// <summary><c>GET /admin/audit</c>: the audit trail, newest first, by payment or action (the API's query), 50 a page.</summary>
public static class AuditPage
{
    public const int PageSize = 50;

    public static void Map(RouteGroupBuilder admin) => admin.MapGet("/audit", ShowAsync);

    private static async Task<IResult> ShowAsync(HttpContext http, PaymentsDb db, string? payment_id, string? action, int? page, CancellationToken ct)
    {
        payment_id = string.IsNullOrWhiteSpace(payment_id) ? null : payment_id.Trim();
        action = string.IsNullOrWhiteSpace(action) ? null : action.Trim();
        var result = await ListAudit.PageAsync(db, payment_id, action, AdminLayout.PageNumber(page), PageSize, ct);

        var rows = new StringBuilder();
        foreach (var a in result.Items)
        {
            var payment = a.PaymentId is null ? "" : $"<a href=\"/admin/payments/{Uri.EscapeDataString(a.PaymentId)}\">{Html.E(a.PaymentId)}</a>";
            rows.Append($"<tr><th scope=\"row\">{a.Id}</th><td>{AdminLayout.Time(a.At)}</td><td><code>{Html.E(a.Action)}</code></td>")
                .Append($"<td>{payment}</td><td>{Html.E(a.Actor)}</td><td><code class=\"data\">{Html.E(a.Data)}</code></td></tr>");
        }
        var table = result.Items.Count == 0
            ? "<p>No entries match.</p>"
            : $"""
              <div class="table-wrap"><table>
                <caption>Audit entries, newest first (times in UTC)</caption>
                <thead><tr><th scope="col">#</th><th scope="col">At</th><th scope="col">Action</th><th scope="col">Payment</th>
                  <th scope="col">Actor</th><th scope="col">Data</th></tr></thead>
                <tbody>{rows}</tbody>
              </table></div>
              """;
        var body = $"""
            <h1>Audit log</h1>
            <form method="get" action="/admin/audit" class="filters" aria-label="Filter audit entries">
              <div><label for="a-payment">Payment id</label><input type="text" id="a-payment" name="payment_id" value="{Html.E(payment_id)}"></div>
              <div><label for="a-action">Action</label><input type="text" id="a-action" name="action" value="{Html.E(action)}" placeholder="payment.refund"></div>
              <div class="actions"><button type="submit">Filter</button> <a href="/admin/audit">Clear</a></div>
            </form>
            {table}
            {AdminLayout.Pager(http.Request, result.Page, result.PageSize, result.Total)}
            """;
        return AdminLayout.Page(http, "Audit log", body, "/admin/audit");
    }
}
