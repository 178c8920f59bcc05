using Microsoft.EntityFrameworkCore;
using Payments.Server.Data;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Subscriptions;

/// <summary>
/// <c>GET /payments/subscribed?subscription_id=…</c>: where the provider's checkout sends the customer back. It shows the
/// subscription's status only (whoever holds the unguessable id may see that much, as with a payment's status page).
/// </summary>
public static class SubscribedPage
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/payments/subscribed", ShowAsync).WithTags("Pages").ExcludeFromDescription();

    private static async Task<IResult> ShowAsync(string? subscription_id, string? canceled, PaymentsDb db, CancellationToken ct)
    {
        var row = subscription_id is null ? null : await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == subscription_id, ct);
        if (row is null) throw Core.Errors.PaymentsException.NotFound($"No subscription '{subscription_id}'.");
        var status = Html.E(row.Status);
        var body = canceled is not null && row.Status == "incomplete"
            ? $"<h1>Checkout left</h1><p>The subscription <code>{Html.E(row.Id)}</code> is not paid yet (<strong data-field=\"status\">{status}</strong>).</p>"
            : $"<h1>Thank you</h1><p>Subscription <code>{Html.E(row.Id)}</code> ({Html.E(row.PriceKey)}): <strong data-field=\"status\">{status}</strong>.</p>";
        return Html.Page("Subscription", body);
    }
}
