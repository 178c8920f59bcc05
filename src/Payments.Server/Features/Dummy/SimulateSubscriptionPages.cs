using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Payments.Core.Errors;
using Payments.Providers.Dummy;
using Payments.Server.Data;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Dummy;

/// <summary>
/// The dummy's subscription pages, so a newcomer tries recurring billing with no account:
/// <list type="bullet">
/// <item><c>GET/POST /payments/simulate/subscriptions/{id}</c>: the hosted checkout of a new subscription; <c>outcome=succeeded</c>
/// pays its first invoice, <c>failed</c> fails the attempt (the page may be tried again);</item>
/// <item><c>POST /payments/simulate/subscriptions/{id}/renew</c> <c>outcome=succeeded|failed</c>: the next period's invoice, paid
/// (active) or failed (past_due); again on a past_due subscription retries the open invoice; on one set to cancel at its
/// period's end, ends it;</item>
/// <item><c>GET /payments/simulate/portal/{dmcus_id}</c>: the dummy's "customer portal", a list of the customer's subscriptions.</item>
/// </list>
/// <c>{id}</c> is the dummy's <c>dmsub_…</c> or our <c>sub_…</c>. Each step sends the dummy's signed webhooks to our own
/// intake over HTTP, as <see cref="SimulatePage"/> does; like it, these forms take no antiforgery token (no cookie or
/// sign-in is read; whoever holds the id may act, as with a provider's checkout link).
/// </summary>
public static class SimulateSubscriptionPages
{
    public sealed record RenewResponse(string SubscriptionId, string Status, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, IReadOnlyList<string> Events);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/payments/simulate/subscriptions/{id}", ShowAsync).WithTags("Dummy provider").ExcludeFromDescription();
        app.MapPost("/payments/simulate/subscriptions/{id}", PayAsync).WithTags("Dummy provider").ExcludeFromDescription().DisableAntiforgery();
        app.MapPost("/payments/simulate/subscriptions/{id}/renew", RenewAsync).WithTags("Dummy provider").ExcludeFromDescription().DisableAntiforgery();
        app.MapGet("/payments/simulate/portal/{customerId}", PortalAsync).WithTags("Dummy provider").ExcludeFromDescription();
    }

    private static async Task<IResult> ShowAsync(string id, DummyProvider dummy, PaymentsDb db, CancellationToken ct)
    {
        var dmsub = await ResolveAsync(id, db, ct);
        if (dmsub is null || await dummy.FindAsync<DummySubscription>(dmsub, DummyProvider.SubscriptionKind, ct) is not { } s)
            throw PaymentsException.NotFound($"No dummy subscription '{id}'.");
        var invoice = s.LatestInvoice is { } latest ? await dummy.FindAsync<DummyInvoice>(latest, DummyProvider.InvoiceKind, ct) : null;
        var due = invoice is null ? "" : Core.Money.Money.Of(invoice.AmountDue, invoice.Currency).ToString();
        var body = $"""
            <h1>Dummy subscription checkout</h1>
            <p>This page stands in for a provider's hosted checkout. Nothing is charged.</p>
            <p class="amount">First invoice: <strong>{Html.E(due)}</strong> (VAT {Html.E(invoice is null ? "" : Core.Money.Money.Of(invoice.Tax, invoice.Currency).ToString())})</p>
            <p>Status at the provider: <strong>{Html.E(s.Status)}</strong></p>
            <form method="post" action="/payments/simulate/subscriptions/{Html.E(dmsub)}">
              <button type="submit" name="outcome" value="succeeded">Pay</button>
              <button type="submit" name="outcome" value="failed">Fail</button>
            </form>
            """;
        return Html.Page("Dummy subscription checkout", body);
    }

    private static async Task<IResult> PayAsync(string id, [FromForm] string? outcome, DummyProvider dummy, PaymentsDb db, IServer server,
        IHttpClientFactory http, HttpRequest request, SiteOptions site, CancellationToken ct)
    {
        var succeeded = Outcome(outcome);
        var dmsub = await ResolveAsync(id, db, ct) ?? throw PaymentsException.NotFound($"No dummy subscription '{id}'.");
        var done = await dummy.PayFirstInvoiceAsync(dmsub, succeeded, ct) ?? throw PaymentsException.NotFound($"No dummy subscription '{id}'.");
        await DeliverAsync(done, server, http, ct);
        // Paid: back to the site, as a provider's checkout does; failed: the checkout again, for another try.
        if (!succeeded) return Html.SeeOther($"/payments/simulate/subscriptions/{dmsub}");
        var landing = new Uri(done.Subscription.SuccessUrl);
        return Html.SeeOther(Uri.Compare(landing, site.BaseFor(request), UriComponents.SchemeAndServer, UriFormat.Unescaped,
            StringComparison.OrdinalIgnoreCase) == 0 ? landing.PathAndQuery : landing.AbsoluteUri);
    }

    private static async Task<IResult> RenewAsync(string id, [FromForm] string? outcome, DummyProvider dummy, PaymentsDb db, IServer server,
        IHttpClientFactory http, CancellationToken ct)
    {
        var succeeded = Outcome(outcome);
        var dmsub = await ResolveAsync(id, db, ct) ?? throw PaymentsException.NotFound($"No dummy subscription '{id}'.");
        var done = await dummy.RenewAsync(dmsub, succeeded, ct) ?? throw PaymentsException.NotFound($"No dummy subscription '{id}'.");
        await DeliverAsync(done, server, http, ct);
        var s = done.Subscription;
        return Results.Ok(new RenewResponse(s.SubscriptionId, s.Status, s.PeriodStart, s.PeriodEnd, done.Events.Select(e => e.Type).ToList()));
    }

    private static async Task<IResult> PortalAsync(string customerId, string? return_url, DummyProvider dummy, CancellationToken ct)
    {
        var mine = (await dummy.SubscriptionsAsync(ct)).Where(s => s.Subscription.CustomerId == customerId).ToList();
        var rows = string.Concat(mine.Select(s =>
            $"<tr><td><code>{Html.E(s.Subscription.SubscriptionId)}</code></td><td>{Html.E(s.Subscription.Status)}</td>" +
            $"<td>{Html.E(s.Subscription.PeriodEnd.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))}</td>" +
            $"<td>{(s.Subscription.CancelAtPeriodEnd ? "cancels at period end" : "renews")}</td></tr>"));
        var back = Uri.TryCreate(return_url, UriKind.Absolute, out var r) && r.Scheme is "http" or "https" ? $"<p><a href=\"{Html.E(r.AbsoluteUri)}\">Back</a></p>" : "";
        return Html.Page("Dummy customer portal", $"""
            <h1>Dummy customer portal</h1>
            <p>This page stands in for a provider's customer portal. Cancel and resume through the API.</p>
            <table><thead><tr><th>Subscription</th><th>Status</th><th>Period ends</th><th></th></tr></thead><tbody>{rows}</tbody></table>{back}
            """);
    }

    private static bool Outcome(string? outcome) => outcome switch
    {
        "succeeded" => true,
        "failed" => false,
        var other => throw PaymentsException.Validation($"Form field 'outcome' must be succeeded or failed (got '{other}')."),
    };

    /// <summary>Our <c>sub_…</c> id to the dummy's, through the external-id table; a <c>dmsub_…</c> id as it is.</summary>
    private static async Task<string?> ResolveAsync(string id, PaymentsDb db, CancellationToken ct) =>
        id.StartsWith("sub_", StringComparison.Ordinal)
            ? await db.ExternalSubscriptions.AsNoTracking().Where(e => e.Provider == DummyProvider.ProviderName && e.SubscriptionId == id)
                .Select(e => e.ExternalId).FirstOrDefaultAsync(ct)
            : id;

    /// <summary>Posts each signed event to our own intake, in order, as the dummy's "webhooks".</summary>
    private static async Task DeliverAsync(SimulatedBilling done, IServer server, IHttpClientFactory http, CancellationToken ct)
    {
        foreach (var e in done.Events)
        {
            using var response = await OwnWebhookRoute.DeliverAsync(server, http, e.Body, e.SignatureHeader, ct);
            if (!response.IsSuccessStatusCode)
                throw new PaymentsException(ErrorKind.ProviderError, $"Our own webhook route answered {(int)response.StatusCode} to the dummy's {e.Type}.");
        }
    }
}
