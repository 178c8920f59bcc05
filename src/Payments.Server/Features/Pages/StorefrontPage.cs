using Payments.Core.Providers;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Payments.Core.Errors;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Features.Limits;
using Payments.Server.Features.Payments;
using Payments.Server.Features.Receipts;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Pages;

/// <summary>
/// <c>GET /</c>: the plans with their server-side prices, a choice among the enabled providers and a
/// "Pay now" button each. <c>POST /payments/checkout</c> (a form, with an antiforgery token) starts
/// the payment through create-intent's own code and answers 303 to the provider's hosted checkout.
/// Wallets (Google Pay, Apple Pay) are not in the provider choice: they have buttons of their own
/// (<see cref="WalletButtons"/>) that post the same form with the wallet's token.
/// </summary>
public static class StorefrontPage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext http, PlanCatalog plans, ProviderRegistry providers, WalletButtons wallets) =>
                Render(http, plans, providers, wallets))
            .WithTags("Pages").ExcludeFromDescription();
        app.MapPost("/payments/checkout", CheckoutAsync)
            .WithTags("Pages").ExcludeFromDescription()
            .RequireRateLimiting(RateLimits.CreateIntent); // the same budget as the API route it stands for
    }

    private static async Task<IResult> CheckoutAsync(
        [FromForm] string? plan, [FromForm] string? provider, [FromForm(Name = "wallet_token")] string? walletToken, HttpContext http,
        PlanCatalog plans, PurchaseResolver purchases, ProviderRegistry providers, WalletButtons wallets, PaymentsDb db, SiteOptions site,
        TimeProvider clock, ILogger<CreateIntent.Request> log, CancellationToken ct)
    {
        CreateIntent.Response started;
        try
        {
            started = await CreateIntent.StartAsync(new CreateIntent.Request(plan, provider, WalletToken: walletToken),
                http, purchases, providers, db, site, clock, log, ct);
        }
        catch (PaymentsException e) when (e.Kind is ErrorKind.Validation or ErrorKind.ProviderError or ErrorKind.ProviderUnavailable)
        {
            // A person reads this, not a program: the same page with the reason, and the status the API would give.
            return Render(http, plans, providers, wallets, e.Kind switch
            {
                ErrorKind.Validation => e.Message,
                ErrorKind.ProviderUnavailable => "The payment provider could not be reached just now. Nothing was charged; please try again in a moment.",
                _ => "The payment provider refused to start this payment. Nothing was charged; please try again later or choose another way to pay.",
            }, Problems.StatusOf(e.Kind));
        }
        // No redirect: the provider declined at once; the thanks page says so and offers another try.
        return Html.SeeOther(started.RedirectUrl ?? $"/payments/thanks?payment_id={Uri.EscapeDataString(started.PaymentId)}");
    }

    private static IResult Render(
        HttpContext http, PlanCatalog plans, ProviderRegistry providers, WalletButtons wallets, string? error = null, int status = 200)
    {
        var enabled = providers.EnabledWith<ICheckoutProvider>().Where(p => p is not IWalletProvider).OrderBy(p => p == providers.Default ? 0 : 1).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
        var html = new StringBuilder("<h1>Choose a plan</h1>");
        if (error is not null) html.Append($"<p class=\"error\" role=\"alert\">{Html.E(error)}</p>");
        html.Append("<form method=\"post\" action=\"/payments/checkout\">").Append(Html.AntiforgeryField(http));
        html.Append("<fieldset class=\"providers\"><legend>Pay with</legend>");
        foreach (var p in enabled)
        {
            var id = "provider-" + p.Name;
            html.Append($"<div><input type=\"radio\" name=\"provider\" id=\"{Html.E(id)}\" value=\"{Html.E(p.Name)}\"")
                .Append(p == providers.Default ? " checked" : "")
                .Append($"><label for=\"{Html.E(id)}\">{Html.E(p.Descriptor.Choice)}</label></div>");
        }
        html.Append("</fieldset><ul class=\"plans\">");
        foreach (var plan in plans.All)
        {
            var key = Html.E(plan.Key);
            html.Append($"<li class=\"plan\"><h2 id=\"plan-{key}\">{Html.E(plan.Name)}</h2>")
                .Append($"<p class=\"price\" id=\"price-{key}\">{Html.E(plan.Price.ToString())}</p>")
                // Every button reads "Pay now"; its description says for what, for screen readers.
                .Append($"<button type=\"submit\" name=\"plan\" value=\"{key}\" aria-describedby=\"plan-{key} price-{key}\">Pay now</button>")
                .Append(wallets.Slot(plan)).Append("</li>");
        }
        html.Append("</ul></form>").Append(wallets.Form(http));
        return Html.Page("Choose a plan", html.ToString(), status, head: wallets.Head,
            contentSecurityPolicy: wallets.Any ? WalletButtons.ContentSecurityPolicy : null);
    }
}
