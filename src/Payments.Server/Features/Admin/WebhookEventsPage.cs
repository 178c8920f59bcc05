using System.Text;
using Microsoft.EntityFrameworkCore;
using Payments.Providers.PayPal;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Admin;

/// <summary>
/// <c>GET /admin/webhooks</c>: verified webhook events, newest first, by provider, payment or
/// outcome (e.g. <c>unmatched</c>), each with the raw body its signature covered — HTML-encoded, as
/// it is text a provider (or whoever holds its secret) wrote.
/// </summary>
public static class WebhookEventsPage
{
    public const int PageSize = 20;

    /// <summary>Bodies are at most 1 MB; a page of twenty shows up to this much of each.</summary>
    public const int ShownBodyChars = 64 * 1024;

    public static void Map(RouteGroupBuilder admin) => admin.MapGet("/webhooks", ShowAsync);

    private static async Task<IResult> ShowAsync(
        HttpContext http, PaymentsDb db, Webhooks.WebhookRejections rejections, string? provider, string? payment_id, string? outcome, int? page, CancellationToken ct)
    {
        provider = Blank(provider);
        payment_id = Blank(payment_id);
        outcome = Blank(outcome);
        var number = AdminLayout.PageNumber(page);
        var query = db.PaymentEvents.AsNoTracking();
        if (provider is not null) query = query.Where(e => e.Provider == provider);
        if (payment_id is not null) query = query.Where(e => e.PaymentId == payment_id);
        if (outcome is not null) query = query.Where(e => e.Outcome == outcome);
        var total = await query.CountAsync(ct);
        var events = await query.OrderByDescending(e => e.Id).Skip((number - 1) * PageSize).Take(PageSize).ToListAsync(ct);

        var body = $"""
            <h1>Webhook events</h1>
            <p class="hint">Only deliveries that were verified are stored as events; refused ones are only counted (below).</p>
            {Refused(rejections.Totals())}
            <form method="get" action="/admin/webhooks" class="filters" aria-label="Filter webhook events">
              <div><label for="w-provider">Provider</label><input type="text" id="w-provider" name="provider" value="{Html.E(provider)}"></div>
              <div><label for="w-payment">Payment id</label><input type="text" id="w-payment" name="payment_id" value="{Html.E(payment_id)}"></div>
              <div><label for="w-outcome">Outcome</label><input type="text" id="w-outcome" name="outcome" value="{Html.E(outcome)}" placeholder="unmatched"></div>
              <div class="actions"><button type="submit">Filter</button> <a href="/admin/webhooks">Clear</a></div>
            </form>
            {(events.Count == 0 ? "<p>No events match.</p>" : Table(events))}
            {AdminLayout.Pager(http.Request, number, PageSize, total)}
            """;
        return AdminLayout.Page(http, "Webhook events", body, "/admin/webhooks");
    }

    /// <summary>PayPal without a webhook id checks no signature: its rows hold what PayPal answered, and say so.</summary>
    private static string Signature(string verification) => verification == PayPalWebhookEvents.RefetchMethod
        ? "not signed (re-fetched from PayPal)"
        : $"verified ({Html.E(verification)})";

    private static string Table(IReadOnlyList<PaymentEvent> events)
    {
        var rows = new StringBuilder();
        foreach (var e in events)
        {
            var payment = e.PaymentId is null ? "—" : $"<a href=\"/admin/payments/{Uri.EscapeDataString(e.PaymentId)}\">{Html.E(e.PaymentId)}</a>";
            var shown = e.RawBody.Length > ShownBodyChars ? e.RawBody[..ShownBodyChars] : e.RawBody;
            var cut = shown.Length < e.RawBody.Length ? $"<p>… the first {ShownBodyChars} of {e.RawBody.Length} characters.</p>" : "";
            rows.Append($"<tr><th scope=\"row\"><code>{Html.E(e.ExternalEventId)}</code></th><td>{AdminLayout.Time(e.ReceivedAt)}</td>")
                .Append($"<td>{Html.E(e.Provider)}</td><td><code>{Html.E(e.EventType)}</code></td><td>{payment}</td>")
                .Append($"<td>{Signature(e.Verification)}</td><td>{Html.E(e.Outcome)}</td>")
                .Append($"<td><details><summary>Raw body</summary><pre><code>{Html.E(shown)}</code></pre>{cut}</details></td></tr>");
        }
        return $"""
            <div class="table-wrap"><table>
              <caption>Webhook events, newest first (times in UTC)</caption>
              <thead><tr><th scope="col">Event</th><th scope="col">Received</th><th scope="col">Provider</th><th scope="col">Type</th>
                <th scope="col">Payment</th><th scope="col">Signature</th><th scope="col">Outcome</th><th scope="col">Body</th></tr></thead>
              <tbody>{rows}</tbody>
            </table></div>
            """;
    }

    private static string Refused(IReadOnlyList<(string Provider, string Reason, long Count)> totals)
    {
        if (totals.Count == 0) return "<p>No deliveries refused since this node started.</p>";
        var rows = new StringBuilder();
        foreach (var (provider, reason, count) in totals)
            rows.Append($"<tr><td>{Html.E(provider)}</td><td><code>{Html.E(reason)}</code></td><td>{count}</td></tr>");
        return $"""
            <div class="table-wrap"><table id="refused">
              <caption>Refused deliveries since this node started</caption>
              <thead><tr><th scope="col">Provider</th><th scope="col">Reason</th><th scope="col">Count</th></tr></thead>
              <tbody>{rows}</tbody>
            </table></div>
            """;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
