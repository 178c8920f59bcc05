using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc;
using Payments.Core.Errors;
using Payments.Providers.Dummy;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Vendors;

/// <summary>
/// The dummy provider's hosted onboarding page (its "Connect"): <c>GET</c> shows the account and two buttons;
/// <c>POST outcome=completed|restricted</c> finishes onboarding at the dummy, posts its signed <c>account.updated</c>
/// to our own webhook route over real HTTP (the path a real provider's delivery takes) and answers 303 to the
/// return URL. Like the dummy's checkout page it carries no antiforgery token: it reads no cookie or credential,
/// and whoever holds the link may finish it, as with a real provider's onboarding link.
/// </summary>
public static class DummyOnboardingPage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/payments/simulate/onboarding/{accountId}", ShowAsync).WithTags("Dummy provider").ExcludeFromDescription();
        app.MapPost("/payments/simulate/onboarding/{accountId}", SubmitAsync).WithTags("Dummy provider").ExcludeFromDescription().DisableAntiforgery();
    }

    private static async Task<IResult> ShowAsync(string accountId, DummyProvider dummy, CancellationToken ct)
    {
        var account = await dummy.FindAccountAsync(accountId, ct);
        if (account is null)
            return Html.Page("Account not found", "<h1>Account not found</h1><p>This dummy account does not exist.</p>", 404);
        var id = Html.E(accountId);
        var state = account.ChargesEnabled ? "active" : account.DetailsSubmitted ? "restricted" : "onboarding";
        return Html.Page("Dummy onboarding", $"""
            <h1>Dummy onboarding</h1>
            <p>This page stands in for a provider's hosted onboarding of a vendor's account. Nothing is verified.</p>
            <p>Account <code>{id}</code> for <strong>{Html.E(account.Email)}</strong> ({Html.E(account.Country)}): <strong>{state}</strong></p>
            <form method="post" action="/payments/simulate/onboarding/{id}">
              <button type="submit" name="outcome" value="completed">Complete onboarding</button>
              <button type="submit" name="outcome" value="restricted">Leave a requirement due</button>
            </form>
            """);
    }

    private static async Task<IResult> SubmitAsync(
        string accountId, [FromForm] string? outcome, DummyProvider dummy, IServer server, IHttpClientFactory http, CancellationToken ct)
    {
        var chosen = outcome switch
        {
            "completed" => DummyOnboardingOutcome.Completed,
            "restricted" => DummyOnboardingOutcome.Restricted,
            var other => throw PaymentsException.Validation($"Form field 'outcome' must be completed or restricted (got '{other}')."),
        };
        var delivery = await dummy.SimulateOnboardingAsync(accountId, chosen, ct)
                       ?? throw PaymentsException.NotFound($"No dummy account '{accountId}'.");
        using var response = await Dummy.OwnWebhookRoute.DeliverAsync(server, http, delivery.Body, delivery.SignatureHeader, ct);
        if (!response.IsSuccessStatusCode)
            throw new PaymentsException(ErrorKind.ProviderError, $"Our own webhook route answered {(int)response.StatusCode} to the dummy's account.updated.");
        return Html.SeeOther(delivery.Next?.PathAndQuery ?? "/vendor");
    }
}
