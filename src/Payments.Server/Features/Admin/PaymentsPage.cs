using System.Text;
using Payments.Core.Errors;
using Payments.Core.Payments;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Payments;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Admin;

/// <summary>
/// <c>GET /admin</c>: every payment, newest first, filtered by status, provider and created date
/// (UTC days, both ends included), 25 a page. The query is the API's own (<see cref="PaymentQuery"/>).
/// </summary>
public static class PaymentsPage
{
    public const int PageSize = 25;

    public static void Map(RouteGroupBuilder admin) => admin.MapGet("", ShowAsync);

    private static async Task<IResult> ShowAsync(
        HttpContext http, PaymentsDb db, ProviderRegistry providers,
        string? status, string? provider, string? from, string? to, int? page, CancellationToken ct)
    {
        status = string.IsNullOrWhiteSpace(status) ? null : status;
        provider = string.IsNullOrWhiteSpace(provider) ? null : provider;
        var (fromDate, fromError) = AdminLayout.Date(from, "from");
        var (toDate, toError) = AdminLayout.Date(to, "to");
        var error = fromError ?? toError;
        PageOf<Payment>? result = null;
        if (error is null)
        {
            try
            {
                var filter = new PaymentFilter(status, provider, fromDate, toDate?.AddDays(1)); // "to" is a whole day
                result = await PaymentQuery.PageAsync(db, http.Caller(), filter, AdminLayout.PageNumber(page), PageSize, ct);
            }
            catch (PaymentsException e) when (e.Kind == ErrorKind.Validation)
            {
                error = e.Message;
            }
        }

        var html = new StringBuilder("<h1>Payments</h1>")
            .Append(AdminLayout.Error(error))
            .Append(Filters(status, provider, from, to, providers));
        if (result is not null) html.Append(Table(result)).Append(AdminLayout.Pager(http.Request, result.Page, result.PageSize, result.Total));
        return AdminLayout.Page(http, "Payments", html.ToString(), "/admin",
            error is null ? 200 : Problems.StatusOf(ErrorKind.Validation));
    }

    private static string Filters(string? status, string? provider, string? from, string? to, ProviderRegistry providers)
    {
        static string Option(string value, string label, string? selected) =>
            $"<option value=\"{Html.E(value)}\"{(value == (selected ?? "") ? " selected" : "")}>{Html.E(label)}</option>";
        var statuses = Option("", "Any status", status) +
                       string.Concat(Enum.GetValues<PaymentStatus>().Select(s => Option(s.ToWire(), s.ToWire().Replace('_', ' '), status)));
        var names = Option("", "Any provider", provider) + string.Concat(providers.Known.Select(p => Option(p, p, provider)));
        return $"""
            <form method="get" action="/admin" class="filters" aria-label="Filter payments">
              <div><label for="f-status">Status</label><select id="f-status" name="status">{statuses}</select></div>
              <div><label for="f-provider">Provider</label><select id="f-provider" name="provider">{names}</select></div>
              <div><label for="f-from">Created from</label><input type="date" id="f-from" name="from" value="{Html.E(from)}"></div>
              <div><label for="f-to">Created to</label><input type="date" id="f-to" name="to" value="{Html.E(to)}"></div>
              <div class="actions"><button type="submit">Filter</button> <a href="/admin">Clear</a></div>
            </form>
            """;
    }

    private static string Table(PageOf<Payment> result)
    {
        if (result.Items.Count == 0) return "<p>No payments match.</p>";
        var rows = new StringBuilder();
        foreach (var p in result.Items)
        {
            var refunded = p.RefundedMinor == 0 ? "" : p.Refunded.ToString();
            rows.Append("<tr>")
                .Append($"<th scope=\"row\"><a href=\"/admin/payments/{Uri.EscapeDataString(p.Id)}\">{Html.E(p.Id)}</a></th>")
                .Append($"<td>{AdminLayout.Time(p.CreatedAt)}</td>")
                .Append($"<td><span class=\"status status-{Html.E(p.Status.ToWire())}\">{Html.E(p.Status.ToWire())}</span></td>")
                .Append($"<td class=\"num\">{Html.E(p.Amount.ToString())}</td>")
                .Append($"<td class=\"num\">{Html.E(refunded)}</td>")
                .Append($"<td>{Html.E(p.Description)}</td>")
                .Append($"<td>{Html.E(p.Provider)}</td>")
                .Append($"<td>{Html.E(p.OwnerId ?? "guest")}</td>")
                .Append("</tr>");
        }
        return $"""
            <div class="table-wrap"><table>
              <caption>Payments, newest first (times in UTC)</caption>
              <thead><tr><th scope="col">Payment</th><th scope="col">Created</th><th scope="col">Status</th>
                <th scope="col" class="num">Amount</th><th scope="col" class="num">Refunded</th><th scope="col">Item</th>
                <th scope="col">Provider</th><th scope="col">Buyer</th></tr></thead>
              <tbody>{rows}</tbody>
            </table></div>
            """;
    }
}
