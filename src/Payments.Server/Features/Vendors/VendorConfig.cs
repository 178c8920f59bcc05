using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payments.Core.Errors;
using Payments.Core.Marketplace;
using Payments.Core.Providers;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Data.Sql;
using Payments.Server.Features.Auth;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Vendors;

/// <summary>
/// <c>/api/v1/vendor/payments/*</c> (seed 002's routes, for the signed-in vendor): its payment configuration,
/// setting up its connected account, a fresh onboarding link, and its payout settings. The account's status is
/// only ever what the provider reported (<see cref="AccountStatuses.Of"/>); coming back from onboarding proves nothing.
/// </summary>
public static class VendorConfig
{
    public sealed record ConfigView(
        string VendorId, string? Provider, string? AccountId, string AccountStatus, bool AcceptsPayments, string Currency, int PlatformFeeBps,
        string PayoutSchedule, string? PayoutWeeklyAnchor, int? PayoutMonthlyAnchor, long MinimumPayout, bool NeedsOnboarding,
        IReadOnlyList<string> RequirementsDue);

    /// <param name="Provider">Where to open the account; the default provider when omitted.</param>
    public sealed record SetupRequest(string? Provider = null);
    public sealed record SetupResponse(string AccountId, string Provider, string OnboardingUrl, string AccountStatus);
    public sealed record LinkResponse(string AccountId, string OnboardingUrl);

    /// <param name="PayoutSchedule">daily, weekly, monthly or manual.</param>
    /// <param name="WeeklyAnchor">For weekly: monday … sunday.</param>
    /// <param name="MonthlyAnchor">For monthly: day 1 to 31.</param>
    /// <param name="MinimumPayout">Minor units of the vendor's currency.</param>
    public sealed record PayoutRequest(string? PayoutSchedule, string? WeeklyAnchor = null, int? MonthlyAnchor = null, long? MinimumPayout = null);

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/vendor/payments").WithTags("Marketplace").RequireAuthorization(VendorAccess.Policy);
        group.MapGet("/config", async (HttpContext http, PaymentsDb db, CancellationToken ct) =>
                Results.Ok(await ViewAsync(db, await VendorAccess.CurrentAsync(http, db, ct), ct)))
            .WithName("GetVendorPaymentConfig").WithSummary("The calling vendor's payment configuration and account status.")
            .Produces<ConfigView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/config", PutAsync).WithName("PutVendorPaymentConfig")
            .WithSummary("Set the payout schedule and minimum payout (pushed to the account's payout settings). The fee is the admin's.")
            .Produces<ConfigView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/setup", SetupAsync).WithName("SetupVendorPayments")
            .WithSummary("Create the vendor's connected account (once) and answer an onboarding link.")
            .Produces<SetupResponse>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/onboarding-link", LinkAsync).WithName("CreateVendorOnboardingLink")
            .WithSummary("A fresh onboarding link (links are single-use and expire).")
            .Produces<LinkResponse>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>The vendor's account as the provider last reported it (null before setup).</summary>
    public static async Task<ConnectedAccount?> AccountAsync(PaymentsDb db, Vendor vendor, CancellationToken ct)
    {
        if (vendor.AccountId is null) return null;
        var row = await db.ConnectedAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Provider == vendor.Provider && a.AccountId == vendor.AccountId, ct);
        return row is null ? null
            : new ConnectedAccount(row.AccountId, row.ChargesEnabled, row.PayoutsEnabled, row.DetailsSubmitted,
                JsonSerializer.Deserialize<string[]>(row.RequirementsDue) ?? [], row.DisabledReason);
    }

    public static async Task<ConfigView> ViewAsync(PaymentsDb db, Vendor vendor, CancellationToken ct)
    {
        var account = await AccountAsync(db, vendor, ct);
        // Linked but not reported yet (the row is written in the same transaction that links, so this is rare): pending.
        var status = vendor.AccountId is not null && account is null ? AccountStatus.Pending : AccountStatuses.Of(account);
        return new ConfigView(vendor.Id, vendor.Provider, vendor.AccountId, status.ToWire(), status.AcceptsPayments(), vendor.Currency,
            vendor.PlatformFeeBps, vendor.PayoutInterval, vendor.PayoutWeeklyAnchor, vendor.PayoutMonthlyAnchor, vendor.MinimumPayoutMinor,
            status.NeedsOnboarding(), account?.RequirementsDue ?? []);
    }

    private static async Task<IResult> SetupAsync(
        SetupRequest? request, HttpContext http, PaymentsDb db, ProviderRegistry providers, SiteOptions site, TimeProvider clock, CancellationToken ct)
    {
        var vendor = await VendorAccess.CurrentAsync(http, db, ct);
        var provider = providers.Get<IConnectedAccountsProvider>(vendor.Provider ?? request?.Provider);
        if (vendor.AccountId is null)
        {
            // The key is the vendor's: a retried setup (ours or the SDK's) gets the same account, never a second one.
            var created = await provider.CreateAccountAsync(
                new ConnectedAccountRequest(vendor.Id, vendor.Email, vendor.Country, Core.Money.Currency.Of(vendor.Currency), $"{vendor.Id}-account"), ct);
            var now = clock.GetUtcNow();
            var (linkedProvider, linkedAccount) = await MarketplaceRows.LinkAsync(db, vendor.Id, provider.Name, created, now, ct);
            db.Add(now, "vendor.account_created", http.Caller().Audit, null, new { vendor_id = vendor.Id, provider = linkedProvider, account_id = linkedAccount });
            await db.SaveWriteAsync(ct);
            vendor = await VendorAccess.FindAsync(db, vendor.Id, ct);
        }
        var url = await provider.CreateOnboardingLinkAsync(vendor.AccountId!, RefreshUrl(site, http), ReturnUrl(site, http), ct);
        var view = await ViewAsync(db, vendor, ct);
        return Results.Ok(new SetupResponse(vendor.AccountId!, vendor.Provider!, url.AbsoluteUri, view.AccountStatus));
    }

    private static async Task<IResult> LinkAsync(HttpContext http, PaymentsDb db, ProviderRegistry providers, SiteOptions site, CancellationToken ct)
    {
        var vendor = await VendorAccess.CurrentAsync(http, db, ct);
        if (vendor.AccountId is null)
            throw new PaymentsException(ErrorKind.Conflict, "This vendor has no account yet: POST /api/v1/vendor/payments/setup first.");
        var provider = providers.Get<IConnectedAccountsProvider>(vendor.Provider);
        var url = await provider.CreateOnboardingLinkAsync(vendor.AccountId, RefreshUrl(site, http), ReturnUrl(site, http), ct);
        return Results.Ok(new LinkResponse(vendor.AccountId, url.AbsoluteUri));
    }

    /// <summary>
    /// Where an expired or used link sends the vendor: their page, signed in, whose button mints a new link. A public
    /// route that minted links would hand anyone who knows a vendor id its onboarding.
    /// </summary>
    private static Uri RefreshUrl(SiteOptions site, HttpContext http) => site.Absolute(http.Request, "/vendor?onboarding=refresh");

    /// <summary>Where a finished (or abandoned) onboarding returns; the status is still decided by the provider's events.</summary>
    private static Uri ReturnUrl(SiteOptions site, HttpContext http) => site.Absolute(http.Request, "/vendor?onboarding=returned");

    private static async Task<IResult> PutAsync(
        PayoutRequest? request, HttpContext http, PaymentsDb db, ProviderRegistry providers, TimeProvider clock, CancellationToken ct)
    {
        var current = await VendorAccess.CurrentAsync(http, db, ct);
        var schedule = Payouts.Parse(request);
        var minimum = request?.MinimumPayout ?? current.MinimumPayoutMinor;
        if (minimum is < 0 or > Core.Payments.HostFields.MaxAmountMinor)
            throw PaymentsException.Validation("'minimum_payout' is minor units of the vendor's currency, 0 or more.");
        if (current.AccountId is not null)
            await providers.Get<IConnectedAccountsProvider>(current.Provider)
                .UpdatePayoutScheduleAsync(current.AccountId, schedule, new Core.Money.Money(minimum, Core.Money.Currency.Of(current.Currency)), ct);
        var vendor = await db.Vendors.SingleAsync(v => v.Id == current.Id, ct);
        vendor.PayoutInterval = Payouts.ToWire(schedule.Interval);
        vendor.PayoutWeeklyAnchor = schedule.WeeklyAnchor;
        vendor.PayoutMonthlyAnchor = schedule.MonthlyAnchor;
        vendor.MinimumPayoutMinor = minimum;
        vendor.UpdatedAt = clock.GetUtcNow();
        db.Add(vendor.UpdatedAt, "vendor.payouts", http.Caller().Audit, null,
            new { vendor_id = vendor.Id, schedule = vendor.PayoutInterval, weekly_anchor = schedule.WeeklyAnchor, monthly_anchor = schedule.MonthlyAnchor, minimum_payout = minimum });
        await db.SaveWriteAsync(ct);
        return Results.Ok(await ViewAsync(db, vendor, ct));
    }
}

/// <summary>Payout schedules as the API writes them.</summary>
public static class Payouts
{
    private static readonly string[] Weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    public static string ToWire(PayoutInterval interval) => interval.ToString().ToLowerInvariant();

    public static PayoutSchedule Parse(VendorConfig.PayoutRequest? request)
    {
        var interval = request?.PayoutSchedule switch
        {
            "daily" => PayoutInterval.Daily,
            "weekly" => PayoutInterval.Weekly,
            "monthly" => PayoutInterval.Monthly,
            "manual" => PayoutInterval.Manual,
            _ => throw PaymentsException.Validation("'payout_schedule' must be daily, weekly, monthly or manual."),
        };
        if (interval == PayoutInterval.Weekly)
        {
            var anchor = request!.WeeklyAnchor ?? "monday";
            if (!Weekdays.Contains(anchor)) throw PaymentsException.Validation("'weekly_anchor' must be a weekday in lower case, e.g. \"friday\".");
            return new PayoutSchedule(interval, WeeklyAnchor: anchor);
        }
        if (interval == PayoutInterval.Monthly)
        {
            var day = request!.MonthlyAnchor ?? 1;
            if (day is < 1 or > 31) throw PaymentsException.Validation("'monthly_anchor' must be a day of the month, 1 to 31.");
            return new PayoutSchedule(interval, MonthlyAnchor: day);
        }
        if (request!.WeeklyAnchor is not null || request.MonthlyAnchor is not null)
            throw PaymentsException.Validation("Anchors belong to weekly ('weekly_anchor') and monthly ('monthly_anchor') schedules only.");
        return new PayoutSchedule(interval);
    }
}
