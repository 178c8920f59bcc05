using Microsoft.EntityFrameworkCore;
using Payments.Core.Errors;
using Payments.Core.Providers;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Sql;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Billing;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Subscriptions;

/// <summary>
/// <c>POST /api/v1/billing/portal</c> → <c>{url}</c>: a one-time link to the provider's self-service portal for the user
/// (Stripe: a billing portal session; the dummy: a page of ours). The provider is the one named, else the one of the
/// user's latest subscription. Customers come back to the site's home page.
/// </summary>
public static class BillingPortal
{
    public sealed record Request(string? Provider = null, string? UserId = null);

    public sealed record Response(string Url, string Provider);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/billing/portal", HandleAsync).WithTags("Billing").RequireAuthorization(AuthSetup.SignedInPolicy)
            .WithName("CreateBillingPortalSession")
            .WithSummary("A one-time link to the provider's customer portal (payment methods, invoices, cancel).")
            .Produces<Response>().ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<Response> HandleAsync(Request? request, HttpContext http, PaymentsDb db, ProviderRegistry providers,
        BillingCustomers customers, CustomerSync sync, BillingLocks locks, SiteOptions site, CancellationToken ct)
    {
        var user = ActingUser.Resolve(http.Caller(), request?.UserId, "billing information");
        var (url, provider) = await OpenAsync(user, request?.Provider, site.Absolute(http.Request, "/"), db, providers, customers, sync, locks, ct);
        return new Response(url.AbsoluteUri, provider);
    }

    /// <summary>
    /// A fresh portal session for <paramref name="user"/> at the provider named, else at the one of the user's latest
    /// subscription; shared by this route and the mails' link (<see cref="PortalLinks"/>).
    /// </summary>
    public static async Task<(Uri Url, string Provider)> OpenAsync(string user, string? providerName, Uri returnUrl, PaymentsDb db,
        ProviderRegistry providers, BillingCustomers customers, CustomerSync sync, BillingLocks locks, CancellationToken ct)
    {
        var customer = await customers.FindAsync(user, ct)
                       ?? throw PaymentsException.Validation("Set the billing information first (PUT /api/v1/billing/info).");
        var name = providerName?.Trim() is { Length: > 0 } named
            ? named
            : await db.Subscriptions.AsNoTracking().Where(s => s.UserId == user).OrderByDescending(s => s.CreatedAt).Select(s => s.Provider)
                  .FirstOrDefaultAsync(ct)
              ?? throw PaymentsException.Validation("Name the provider: the user has no subscription yet.");
        var provider = providers.Get<ISubscriptionProvider>(name);
        await using var turn = await locks.AcquireAsync(BillingCustomers.LockKey(user), ct);
        var providerCustomer = await sync.EnsureAsync(provider, customer, ct);
        return (await provider.CreatePortalSessionAsync(providerCustomer, returnUrl, ct), provider.Name);
    }
}
