using System.Text;
using Microsoft.EntityFrameworkCore;
using Payments.Server.Data;
using Payments.Server.Features.Outbox;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Admin;

/// <summary>
/// <c>GET /admin/outgoing</c>: the host's endpoints and the delivery log of outgoing webhooks, newest
/// first, by endpoint or status (e.g. <c>pending</c> to see what is being retried, <c>failed</c> for
/// what was given up): attempts, the last answer and the next try.
/// </summary>
public static class OutgoingWebhooksPage
{
    public const int PageSize = 25;

    public static void Map(RouteGroupBuilder admin) => admin.MapGet("/outgoing", ShowAsync);

    private static async Task<IResult> ShowAsync(HttpContext http, PaymentsDb db, string? endpoint, string? status, int? page, CancellationToken ct)
    {
        endpoint = string.IsNullOrWhiteSpace(endpoint) ? null : endpoint.Trim();
        status = string.IsNullOrWhiteSpace(status) ? null : status.Trim();
        var number = AdminLayout.PageNumber(page);
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => e.DeletedAt == null).OrderBy(e => e.CreatedAt).ToListAsync(ct);
        var query = db.OutboxDeliveries.AsNoTracking();
        if (endpoint is not null) query = query.Where(d => d.EndpointId == endpoint);
        if (status is not null) query = query.Where(d => d.Status == status);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(d => d.Id).Skip((number - 1) * PageSize).Take(PageSize)
            .Join(db.Outbox.AsNoTracking(), d => d.OutboxId, o => o.Id, (d, o) => new { d, o.EventId, o.Type, o.ResourceType, o.ResourceId })
            .ToListAsync(ct);

        var list = new StringBuilder();
        foreach (var e in endpoints)
            list.Append($"<li><code>{Html.E(e.Id)}</code> {Html.E(e.Url)} — {Html.E(string.Join(", ", EndpointEvents.Parse(e.Events)))}")
                .Append(e.Description is null ? "" : $" ({Html.E(e.Description)})").Append("</li>");
        var table = new StringBuilder();
        foreach (var r in rows)
        {
            var resource = r.ResourceType == "payment"
                ? $"<a href=\"/admin/payments/{Uri.EscapeDataString(r.ResourceId)}\">{Html.E(r.ResourceId)}</a>"
                : Html.E($"{r.ResourceType} {r.ResourceId}");
            table.Append($"<tr><th scope=\"row\"><code>{Html.E(r.EventId)}</code></th><td><code>{Html.E(r.Type)}</code></td><td>{resource}</td>")
                .Append($"<td><code>{Html.E(r.d.EndpointId)}</code></td><td>{Html.E(r.d.Status)}</td><td>{r.d.Attempts}</td>")
                .Append($"<td>{(r.d.LastStatusCode?.ToString() ?? "—")}{(r.d.LastError is null ? "" : " " + Html.E(r.d.LastError))}</td>")
                .Append($"<td>{(r.d.Status == DeliveryStatus.Pending ? AdminLayout.Time(r.d.NextAttemptAt) : "—")}</td>")
                .Append($"<td>{(r.d.DeliveredAt is { } at ? AdminLayout.Time(at) : "—")}</td></tr>");
        }
        var deliveries = rows.Count == 0 ? "<p>No deliveries match.</p>" : $"""
            <div class="table-wrap"><table>
              <caption>Deliveries, newest first (times in UTC)</caption>
              <thead><tr><th scope="col">Event</th><th scope="col">Type</th><th scope="col">Resource</th><th scope="col">Endpoint</th>
                <th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last answer</th><th scope="col">Next try</th>
                <th scope="col">Delivered</th></tr></thead>
              <tbody>{table}</tbody>
            </table></div>
            """;
        var body = $"""
            <h1>Outgoing webhooks</h1>
            <p class="hint">Events sent to the host application's endpoints (managed through <code>/api/v1/webhook-endpoints</code>).</p>
            <h2>Endpoints</h2>
            {(endpoints.Count == 0 ? "<p>No endpoints: nothing is sent.</p>" : $"<ul>{list}</ul>")}
            <h2>Delivery log</h2>
            <form method="get" action="/admin/outgoing" class="filters" aria-label="Filter deliveries">
              <div><label for="o-endpoint">Endpoint</label><input type="text" id="o-endpoint" name="endpoint" value="{Html.E(endpoint)}"></div>
              <div><label for="o-status">Status</label><input type="text" id="o-status" name="status" value="{Html.E(status)}" placeholder="pending"></div>
              <div class="actions"><button type="submit">Filter</button> <a href="/admin/outgoing">Clear</a></div>
            </form>
            {deliveries}
            {AdminLayout.Pager(http.Request, number, PageSize, total)}
            """;
        return AdminLayout.Page(http, "Outgoing webhooks", body, "/admin/outgoing");
    }
}
