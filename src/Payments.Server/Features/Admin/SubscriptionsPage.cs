using System.Text;
using Microsoft.EntityFrameworkCore;
using Payments.Server.Data;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Admin;

/// <summary>
/// <c>GET /admin/subscriptions</c>: subscriptions (status, price, period end, provider) and customers (country, VAT number
/// and its VIES status, tax treatment), newest first, 100 of each (issue 13 item 8).
/// </summary>
public static class SubscriptionsPage
{
    public const int Shown = 100;

    public static void Map(RouteGroupBuilder admin) => admin.MapGet("/subscriptions", ShowAsync);

    private static async Task<IResult> ShowAsync(HttpContext http, PaymentsDb db, string? status, CancellationToken ct)
    {
        status = string.IsNullOrWhiteSpace(status) ? null : status.Trim();
        var query = db.Subscriptions.AsNoTracking();
        if (status is not null) query = query.Where(s => s.Status == status);
        var subscriptions = await query.OrderByDescending(s => s.CreatedAt).Take(Shown).ToListAsync(ct);
        var customers = await db.BillingCustomers.AsNoTracking().OrderByDescending(c => c.CreatedAt).Take(Shown).ToListAsync(ct);

        var rows = new StringBuilder();
        foreach (var s in subscriptions)
            rows.Append($"<tr><th scope=\"row\"><code>{Html.E(s.Id)}</code></th><td>{Html.E(s.UserId)}</td><td>{Html.E(s.PriceKey)}</td>")
                .Append($"<td data-field=\"status\">{Html.E(s.Status)}</td><td>{(s.CurrentPeriodEnd is { } end ? AdminLayout.Time(end) : "")}</td>")
                .Append($"<td>{(s.CancelAtPeriodEnd ? "cancels at period end" : "")}</td><td>{Html.E(s.Provider)}</td></tr>");
        var people = new StringBuilder();
        foreach (var c in customers)
            people.Append($"<tr><th scope=\"row\"><code>{Html.E(c.Id)}</code></th><td>{Html.E(c.UserId)}</td><td>{Html.E(c.Name)}</td>")
                .Append($"<td>{Html.E(c.AddressCountry)}</td><td>{Html.E(c.VatId)}</td><td data-field=\"vat_status\">{Html.E(c.VatStatus)}</td>")
                .Append($"<td>{Html.E(c.TaxExempt)}</td></tr>");
        var body = $"""
            <h1>Subscriptions</h1>
            <form method="get" action="/admin/subscriptions" class="filters" aria-label="Filter subscriptions">
              <div><label for="s-status">Status</label><input type="text" id="s-status" name="status" value="{Html.E(status)}" placeholder="past_due"></div>
              <div class="actions"><button type="submit">Filter</button> <a href="/admin/subscriptions">Clear</a></div>
            </form>
            {(subscriptions.Count == 0 ? "<p>No subscriptions match.</p>" : $"""
              <div class="table-wrap"><table>
                <caption>Subscriptions, newest first (times in UTC)</caption>
                <thead><tr><th scope="col">Subscription</th><th scope="col">User</th><th scope="col">Price</th><th scope="col">Status</th>
                  <th scope="col">Period ends</th><th scope="col">Cancellation</th><th scope="col">Provider</th></tr></thead>
                <tbody>{rows}</tbody>
              </table></div>
              """)}
            <h2>Customers</h2>
            {(customers.Count == 0 ? "<p>No customers yet.</p>" : $"""
              <div class="table-wrap"><table>
                <caption>Customers (billing information), newest first</caption>
                <thead><tr><th scope="col">Customer</th><th scope="col">User</th><th scope="col">Name</th><th scope="col">Country</th>
                  <th scope="col">VAT number</th><th scope="col">VAT status</th><th scope="col">Tax</th></tr></thead>
                <tbody>{people}</tbody>
              </table></div>
              """)}
            """;
        return AdminLayout.Page(http, "Subscriptions", body, "/admin/subscriptions");
    }
}
