using Microsoft.AspNetCore.DataProtection;
using Payments.Core.Errors;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Sql;
using Payments.Server.Features.Billing;
using Payments.Server.Features.Mail;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Subscriptions;

/// <summary>
/// The billing portal link in a mail. A provider's portal session cannot go in a mail: Stripe's expire soon after they
/// are made and the mail may be read days later. So the mail links to <c>GET /payments/billing-portal?token=…</c>, a page
/// of ours that opens a fresh session for the customer and redirects to it (302). The token is the user id and the
/// provider, encrypted and signed by ASP.NET Core Data Protection (the keys every node shares through
/// <c>DATA_PROTECTION_KEYS_DIR</c>) and valid for <see cref="Lifetime"/>. No sign-in is asked: like the thanks page's
/// payment id, the link is the capability, and it opens nothing but that customer's own portal. An expired or altered
/// token gets a page saying so (410), never an error.
/// </summary>
public sealed class PortalLinks(IDataProtectionProvider protection, MailOptions mail)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);
    private const string Path = "/payments/billing-portal";
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("payments.billing-portal-link.v1").ToTimeLimitedDataProtector();

    /// <summary>The link for a mail (needs <c>SITE_BASE_URL</c>, which mail requires).</summary>
    public Uri For(string userId, string provider) =>
        mail.Link($"{Path.TrimStart('/')}?token={Uri.EscapeDataString(_protector.Protect($"{provider}\n{userId}", Lifetime))}");

    /// <summary>The provider and user a token names, or null when it is expired, altered or not one of ours.</summary>
    public (string Provider, string UserId)? Read(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            return _protector.Unprotect(token).Split('\n', 2) is [var provider, var user] ? (provider, user) : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(Path, OpenAsync).WithTags("Billing").ExcludeFromDescription();

    private static async Task<IResult> OpenAsync(string? token, HttpRequest request, PortalLinks links, PaymentsDb db, ProviderRegistry providers,
        BillingCustomers customers, CustomerSync sync, BillingLocks locks, SiteOptions site, CancellationToken ct)
    {
        if (links.Read(token) is not var (provider, user))
            return Html.Page("Link expired", """
                <h1>This link has expired</h1>
                <p>Links to manage your subscription are valid for 30 days. Sign in to the shop to manage it, or use the link in a newer mail.</p>
                """, StatusCodes.Status410Gone);
        try
        {
            var (url, _) = await BillingPortal.OpenAsync(user, provider, site.Absolute(request, "/"), db, providers, customers, sync, locks, ct);
            return Results.Redirect(url.AbsoluteUri, permanent: false, preserveMethod: false);
        }
        catch (PaymentsException e) when (e.Kind is ErrorKind.Validation or ErrorKind.NotFound)
        {
            return Html.Page("Portal unavailable", $"<h1>The portal cannot be opened</h1><p>{Html.E(e.Message)}</p>", StatusCodes.Status410Gone);
        }
    }
}
