using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc;
using Payments.Core.Errors;
using Payments.Core.Providers;
using Payments.Providers.Dummy;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Dummy;

/// <summary>
/// The dummy provider's hosted checkout page. <c>GET</c> shows the amount and three buttons;
/// <c>POST outcome=succeeded|failed|canceled</c> (a plain form: the one form of ours without an
/// antiforgery token, see <see cref="Map"/>) settles the checkout, sends the signed webhook to our own webhook route over real HTTP
/// (the same path a real provider's delivery takes) and answers 303 to the thanks page, or to the
/// cancel page when the customer canceled (as a real provider's "back" link does).
/// </summary>
public static class SimulatePage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/payments/simulate/{paymentId}", ShowAsync).WithTags("Dummy provider").ExcludeFromDescription();
        // No antiforgery here, unlike every other form of ours. Antiforgery stops another site from
        // making a visitor's browser act with the visitor's authority (cookies, sign-in). This page
        // stands in for a provider's hosted checkout and has none: it reads no cookie and no
        // credential, and in the dummy's pretend world whoever holds the dm_ id may pay, fail or
        // cancel that checkout, as with a real provider's checkout link. A forged POST can do nothing
        // a direct one cannot, and a plain form POST lets the README's curl walkthrough pay.
        app.MapPost("/payments/simulate/{paymentId}", SubmitAsync).WithTags("Dummy provider").ExcludeFromDescription()
            .DisableAntiforgery();
    }

    private static async Task<IResult> ShowAsync(string paymentId, DummyProvider dummy, CancellationToken ct)
    {
        var checkout = await dummy.FindAsync(paymentId, ct);
        if (checkout is null)
            return Html.Page("Checkout not found", "<h1>Checkout not found</h1><p>This dummy checkout does not exist.</p>", 404);
        var id = Html.E(checkout.Id);
        var body = $"""
            <h1>Dummy checkout</h1>
            <p>This page stands in for a provider's hosted checkout. Nothing is charged.</p>
            <p class="amount">Amount: <strong>{Html.E(checkout.Amount.ToString())}</strong></p>
            <p>Status at the provider: <strong>{Html.E(checkout.Status.ToString().ToLowerInvariant())}</strong></p>
            <form method="post" action="/payments/simulate/{id}">
              <button type="submit" name="outcome" value="succeeded">Pay</button>
              <button type="submit" name="outcome" value="failed">Fail</button>
              <button type="submit" name="outcome" value="canceled">Cancel</button>
            </form>
            """;
        return Html.Page("Dummy checkout", body);
    }

    private static async Task<IResult> SubmitAsync(
        string paymentId, [FromForm] string? outcome, DummyProvider dummy, IServer server, IHttpClientFactory http, HttpRequest request,
        Hosting.SiteOptions site, CancellationToken ct)
    {
        var status = outcome switch
        {
            "succeeded" => ProviderPaymentStatus.Succeeded,
            "failed" => ProviderPaymentStatus.Declined,
            "canceled" => ProviderPaymentStatus.Canceled,
            var other => throw PaymentsException.Validation(
                $"Form field 'outcome' must be succeeded, failed or canceled (got '{other}')."),
        };
        var delivery = await dummy.SimulateAsync(paymentId, status, ct)
                       ?? throw PaymentsException.NotFound($"No dummy checkout '{paymentId}'.");

        using var response = await OwnWebhookRoute.DeliverAsync(server, http, delivery.Body, delivery.SignatureHeader, ct);
        // A 409 (amount mismatch) is a legitimate answer the thanks page will show; anything else is a fault.
        if (!response.IsSuccessStatusCode && (int)response.StatusCode != StatusCodes.Status409Conflict)
            throw new PaymentsException(ErrorKind.ProviderError,
                $"Our own webhook route answered {(int)response.StatusCode} to the dummy's delivery.");

        return Html.SeeOther(Landing(status == ProviderPaymentStatus.Canceled ? delivery.Checkout.CancelUrl : delivery.Checkout.SuccessUrl,
            site.BaseFor(request)));
    }

    /// <summary>
    /// Our own pages by path (the browser stays on the host it used, whatever SITE_BASE_URL says); the host
    /// application's page (a create-intent's success_url, allow-listed when it was accepted) as it is.
    /// </summary>
    private static string Landing(Uri page, Uri ownBase) =>
        Uri.Compare(page, ownBase, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
            ? page.PathAndQuery
            : page.AbsoluteUri;
}
