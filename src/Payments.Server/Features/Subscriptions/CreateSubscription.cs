using Microsoft.EntityFrameworkCore;
using Payments.Core;
using Payments.Core.Billing;
using Payments.Core.Errors;
using Payments.Core.Providers;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Data.Sql;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Billing;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Subscriptions;

/// <summary>
/// <c>POST /api/v1/subscriptions</c> <c>{"price":"pro_monthly","provider":"stripe|dummy"}</c> → 201
/// <c>{subscription_id, status:"incomplete", redirect_url}</c>. The user's billing information must exist (it decides the
/// VAT). Our row is written first; the provider is then told (customer and price made sure of, a hosted checkout for
/// the first invoice opened), all under the customer's lock. The subscription becomes active when the provider says
/// the first invoice is paid (its webhooks, fetched and applied by <see cref="SubscriptionSync"/>).
/// </summary>
public static class CreateSubscription
{
    /// <param name="UserId">Service and admin keys name the user; a signed-in user may leave it out.</param>
    public sealed record Request(string? Price, string? Provider, string? UserId = null);

    public sealed record Response(string SubscriptionId, string Status, string? RedirectUrl, string Price, string Provider, long Amount, string Currency,
        string TaxRate, string TaxRule);

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("", HandleAsync)
            .RequireAuthorization(AuthSetup.SignedInPolicy)
            .WithName("CreateSubscription")
            .WithSummary("Subscribe the user to a recurring price; the first invoice is paid on the provider's hosted page (redirect_url).")
            .Produces<Response>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway);

    private static async Task<IResult> HandleAsync(Request request, HttpContext http, PaymentsDb db, Catalog catalog, ProviderRegistry providers,
        BillingCustomers customers, CustomerSync customerSync, CatalogSync catalogSync, BillingLocks locks, SiteOptions site, TimeProvider clock,
        CancellationToken ct)
    {
        var user = ActingUser.Resolve(http.Caller(), request.UserId, "billing information");
        if (!catalog.TryGetPrice(request.Price, out var price))
            throw PaymentsException.Validation($"'price' must be one of: {string.Join(", ", catalog.Prices.Select(p => p.Key))}.");
        var providerName = string.IsNullOrWhiteSpace(request.Provider) ? DefaultProvider(providers) : request.Provider.Trim();
        var provider = providers.Get<ISubscriptionProvider>(providerName);

        var customer = await customers.FindAsync(user, ct)
                       ?? throw PaymentsException.Validation("Set the billing information first (PUT /api/v1/billing/info): it decides the VAT charged.");
        var version = await CurrentVersionAsync(db, catalogSync, price.Key, ct);
        var tax = customers.Decide(customer);
        var now = clock.GetUtcNow();
        var row = new SubscriptionRow
        {
            Id = Ids.New("sub", now), UserId = user, CustomerId = customer.Id, PriceId = version.Id, PriceKey = price.Key, Provider = provider.Name,
            Status = ProviderSubscriptionStatus.Incomplete.ToWire(), AmountMinor = version.AmountMinor, Currency = version.Currency,
            TaxRateBp = tax.RateBasisPoints, TaxRule = BillingInfo.RuleName(tax.Rule), TaxCountry = tax.Country, CreatedAt = now, UpdatedAt = now,
            SyncedAt = now,
        };

        await using var turn = await locks.AcquireAsync(BillingCustomers.LockKey(user), ct);
        db.Subscriptions.Add(row);
        await db.SaveWriteAsync(ct);
        try
        {
            var providerCustomer = await customerSync.EnsureAsync(provider, customer, ct);
            var providerPrice = await ProviderPriceAsync(db, catalogSync, provider, version.Id, ct);
            var landing = site.Absolute(http.Request, $"/payments/subscribed?subscription_id={row.Id}");
            var checkout = await provider.CreateSubscriptionCheckoutAsync(new SubscriptionCheckoutRequest(row.Id, providerCustomer, providerPrice,
                Core.Money.Money.Of(version.AmountMinor, version.Currency), tax.RateBasisPoints, tax.Country, price.TrialDays, landing,
                site.Absolute(http.Request, $"/payments/subscribed?subscription_id={row.Id}&canceled=1"), $"subscription-{row.Id}-checkout"), ct);
            Track(db, row); // a catalog sync on the way clears the unit of work
            (row.CheckoutId, row.RedirectUrl, row.UpdatedAt) = (checkout.ProviderCheckoutId, checkout.RedirectUrl.AbsoluteUri, clock.GetUtcNow());
            db.AuditLog.Add(Data.Audit.Entry(now, "subscription.create", http.Caller().Audit, null, new
            {
                subscription_id = row.Id, price = price.Key, price_id = version.Id, provider = provider.Name, amount = row.AmountMinor, currency = row.Currency,
                tax_rate_bp = row.TaxRateBp, tax_rule = row.TaxRule, checkout_id = row.CheckoutId,
            }));
            await db.SaveWriteAsync(ct);
            if (checkout.ProviderSubscriptionId is { } known)
                await ExternalIdRows.KeepAsync(db, ExternalTable.Subscriptions, provider.Name, known, row.Id, clock.GetUtcNow(), ct);
        }
        catch (Exception e) when (e is ProviderErrorException or ProviderUnavailableException)
        {
            // Nothing was opened for the customer: the row ends as Stripe ends a subscription whose first invoice is never paid.
            Track(db, row);
            (row.Status, row.UpdatedAt) = (ProviderSubscriptionStatus.IncompleteExpired.ToWire(), clock.GetUtcNow());
            await db.SaveWriteAsync(ct);
            throw;
        }
        return Results.Created($"/api/v1/subscriptions/{row.Id}", new Response(row.Id, row.Status, row.RedirectUrl, row.PriceKey, row.Provider,
            row.AmountMinor, row.Currency, VatRates.Percent(row.TaxRateBp), row.TaxRule));
    }

    private static void Track(PaymentsDb db, SubscriptionRow row)
    {
        if (db.Entry(row).State == EntityState.Detached) db.Subscriptions.Attach(row);
    }

    /// <summary>The service's default provider when it bills subscriptions, else the only enabled one that does.</summary>
    private static string DefaultProvider(ProviderRegistry providers)
    {
        if (providers.Default is ISubscriptionProvider) return providers.Default.Name;
        var billing = providers.EnabledWith<ISubscriptionProvider>().ToList();
        return billing.Count == 1 ? billing[0].Name : throw PaymentsException.Validation(
            $"Name the provider: one of {string.Join(", ", billing.Select(p => p.Name))}.");
    }

    /// <summary>The current version of a configured price; recorded now if the catalog was never synced.</summary>
    private static async Task<CatalogPriceRow> CurrentVersionAsync(PaymentsDb db, CatalogSync sync, string key, CancellationToken ct)
    {
        var version = await db.CatalogPrices.AsNoTracking().FirstOrDefaultAsync(p => p.LookupKey == key && p.ArchivedAt == null, ct);
        if (version is not null) return version;
        await sync.RunAsync([], ct);
        return await db.CatalogPrices.AsNoTracking().FirstAsync(p => p.LookupKey == key && p.ArchivedAt == null, ct);
    }

    /// <summary>The provider's id of a price version; the catalog is synced to that provider first when it does not have it yet.</summary>
    private static async Task<string> ProviderPriceAsync(PaymentsDb db, CatalogSync sync, IProvider provider, string priceId, CancellationToken ct)
    {
        var known = await db.ExternalPrices.AsNoTracking().Where(e => e.Provider == provider.Name && e.PriceId == priceId).Select(e => e.ExternalId)
            .FirstOrDefaultAsync(ct);
        if (known is not null) return known;
        var report = await sync.RunAsync([provider.Name], ct);
        return await db.ExternalPrices.AsNoTracking().Where(e => e.Provider == provider.Name && e.PriceId == priceId).Select(e => e.ExternalId)
                   .FirstOrDefaultAsync(ct)
               ?? throw new ProviderUnavailableException(provider.Name,
                   $"The catalog could not be synced to {provider.Name}: {string.Join("; ", report.Failures.Select(f => f.Error))}");
    }
}
