using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Payments.Core.Errors;
using Payments.Core.Marketplace;
using Payments.Core.Money;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Admin;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Limits;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Vendors;

/// <summary>
/// <c>/vendor</c>: the signed-in vendor's page (<see cref="VendorSession"/>): its account's onboarding status and the
/// button that opens the provider's onboarding (the onboarding's return URL and refresh URL both land here), its payout
/// settings, balance, payouts and payments with their split. Every form carries an antiforgery token.
/// </summary>
public static class VendorPage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(VendorSession.SignInPath, (HttpContext http) => SignInForm(http)).WithTags("Vendor pages").ExcludeFromDescription().AllowAnonymous();
        app.MapPost(VendorSession.SignInPath, SignInAsync).WithTags("Vendor pages").ExcludeFromDescription().AllowAnonymous()
            .RequireRateLimiting(RateLimits.AdminSignIn); // per client address, like the admin's: no guessing keys at full speed
        var pages = app.MapGroup("/vendor").WithTags("Vendor pages").ExcludeFromDescription().RequireAuthorization(VendorSession.PagesPolicy);
        pages.MapGet("", ShowAsync);
        pages.MapPost("/sign-out", async (HttpContext http) =>
        {
            await http.SignOutAsync(VendorSession.Scheme);
            return Html.SeeOther(VendorSession.SignInPath);
        }).RequireFormToken();
        pages.MapPost("/onboarding", OnboardAsync).RequireFormToken();
        pages.MapPost("/payouts", PayoutsAsync);
    }

    private static async Task<IResult> SignInAsync(
        [FromForm] string? credential, HttpContext http, PaymentsDb db, IOptionsMonitor<JwtBearerOptions> jwt, AuthOptions options, TimeProvider clock,
        CancellationToken ct)
    {
        var (principal, expires, error) = await VendorSession.VerifyAsync(credential, db, jwt, options, clock, ct);
        if (principal is null) return SignInForm(http, error, Problems.StatusOf(ErrorKind.Unauthorized));
        await http.SignInAsync(VendorSession.Scheme, principal, new AuthenticationProperties { ExpiresUtc = expires, IsPersistent = false, AllowRefresh = false });
        return Html.SeeOther("/vendor");
    }

    private static IResult SignInForm(HttpContext http, string? error = null, int status = 200) => Html.Page("Vendor sign-in", $"""
        <h1>Vendor sign-in</h1>
        {AdminLayout.Error(error)}
        <form method="post" action="{VendorSession.SignInPath}" class="stacked">
          {Html.AntiforgeryField(http)}
          <label for="credential">Vendor API key or token</label>
          <input type="password" id="credential" name="credential" required autocomplete="off" spellcheck="false">
          <p class="hint">An API key with role vendor (an admin creates it for your vendor), or a JWT with role "vendor" and your vendor_id
          signed with this service's JWT_SECRET_KEY.</p>
          <button type="submit">Sign in</button>
        </form>
        """, status, @private: true);

    private static async Task<IResult> OnboardAsync(
        HttpContext http, PaymentsDb db, ProviderRegistry providers, SiteOptions site, TimeProvider clock, CancellationToken ct)
    {
        var vendor = await VendorAccess.CurrentAsync(http, db, ct);
        var setup = await VendorConfig.SetupAccountAsync(vendor, null, http, db, providers, site, clock, ct);
        // The provider's page (for the dummy, one of ours); it returns to /vendor, whose status stays the provider's word.
        return Html.SeeOther(setup.OnboardingUrl);
    }

    private static async Task<IResult> PayoutsAsync(
        [FromForm] string? payout_schedule, [FromForm] string? weekly_anchor, [FromForm] string? monthly_anchor, [FromForm] string? minimum_payout,
        HttpContext http, PaymentsDb db, ProviderRegistry providers, TimeProvider clock, CancellationToken ct)
    {
        var vendor = await VendorAccess.CurrentAsync(http, db, ct);
        try
        {
            var currency = Currency.Of(vendor.Currency);
            if (!Money.TryParseAmount(string.IsNullOrWhiteSpace(minimum_payout) ? "0" : minimum_payout.Trim(), currency, out var minimum))
                throw PaymentsException.Validation($"The minimum payout is an amount in {currency.Code}, like 50.00.");
            int? day = int.TryParse(monthly_anchor, out var d) ? d : null;
            var request = new VendorConfig.PayoutRequest(payout_schedule, payout_schedule == "weekly" ? weekly_anchor : null,
                payout_schedule == "monthly" ? day : null, minimum.Minor);
            await VendorConfig.PutPayoutsAsync(vendor, request, http, db, providers, clock, ct);
        }
        catch (PaymentsException e) when (e.Kind == ErrorKind.Validation)
        {
            return await RenderAsync(http, db, vendor, error: e.Message, status: StatusCodes.Status422UnprocessableEntity, ct: ct);
        }
        return Html.SeeOther("/vendor?saved=payouts");
    }

    private static async Task<IResult> ShowAsync(HttpContext http, PaymentsDb db, string? onboarding, string? saved, CancellationToken ct) =>
        await RenderAsync(http, db, await VendorAccess.CurrentAsync(http, db, ct), onboarding switch
        {
            "returned" => "Back from onboarding. The status below changes when the provider confirms it, not because you came back.",
            "refresh" => "That onboarding link has expired or was used. Press the button for a fresh one.",
            _ => saved == "payouts" ? "Payout settings saved." : null,
        }, ct: ct);

    private static async Task<IResult> RenderAsync(
        HttpContext http, PaymentsDb db, Vendor vendor, string? notice = null, string? error = null, int status = 200, CancellationToken ct = default)
    {
        var config = await VendorConfig.ViewAsync(db, vendor, ct);
        var balances = await MarketLedger.BalancesAsync(db, MarketAccounts.Vendor(vendor.Id), ct);
        var payouts = await VendorPayouts.ListAsync(db, vendor, ct);
        var payments = await VendorBalance.ListAsync(db, vendor.Id, ct);
        var af = Html.AntiforgeryField(http);
        var currency = Currency.Of(vendor.Currency);
        string M(long minor, string code) => Html.E(new Money(minor, Currency.Of(code)).ToString());
        var button = config.AccountId is null ? "Set up payments" : config.NeedsOnboarding ? "Continue onboarding" : "Update account details";
        var requirements = config.RequirementsDue.Count == 0 ? ""
            : "<p>Still due: " + string.Join(", ", config.RequirementsDue.Select(r => $"<code>{Html.E(r)}</code>")) + "</p>";
        string Option(string value, string? current) => $"<option value=\"{value}\"{(value == current ? " selected" : "")}>{value}</option>";
        var weekdays = string.Concat(new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" }
            .Select(d => Option(d, config.PayoutWeeklyAnchor ?? "monday")));
        var body = $"""
            <h1>{Html.E(vendor.Name)}</h1>
            {(notice is null ? "" : $"<p class=\"notice\" role=\"status\">{Html.E(notice)}</p>")}
            {AdminLayout.Error(error)}
            <section aria-labelledby="account"><h2 id="account">Payments account</h2>
              <p>Status: <strong id="account-status">{Html.E(config.AccountStatus)}</strong>{(config.AcceptsPayments ? " (accepting payments)" : "")}
                 · provider {Html.E(config.Provider ?? "not chosen")} · platform fee {config.PlatformFeeBps / 100m:0.##} %</p>
              {requirements}
              <form method="post" action="/vendor/onboarding">{af}<button type="submit">{button}</button></form>
            </section>
            <section aria-labelledby="balance"><h2 id="balance">Balance</h2>
              <table><thead><tr><th scope="col">Currency</th><th scope="col">Balance</th><th scope="col">Available to pay out</th></tr></thead><tbody>
              {string.Concat(balances.Select(b => $"<tr><td>{Html.E(b.Currency)}</td><td>{Html.E(b.AmountDisplay)}</td><td>{Html.E(payouts.Available.FirstOrDefault(a => a.Currency == b.Currency)?.AmountDisplay ?? "")}</td></tr>"))}
              </tbody></table>
            </section>
            <section aria-labelledby="payout-settings"><h2 id="payout-settings">Payout settings</h2>
              <form method="post" action="/vendor/payouts" class="stacked">
                {af}
                <label for="payout_schedule">Schedule</label>
                <select id="payout_schedule" name="payout_schedule">{Option("daily", config.PayoutSchedule)}{Option("weekly", config.PayoutSchedule)}{Option("monthly", config.PayoutSchedule)}{Option("manual", config.PayoutSchedule)}</select>
                <label for="weekly_anchor">Day of the week (weekly)</label>
                <select id="weekly_anchor" name="weekly_anchor">{weekdays}</select>
                <label for="monthly_anchor">Day of the month (monthly, 1 to 31)</label>
                <input id="monthly_anchor" name="monthly_anchor" type="number" min="1" max="31" value="{config.PayoutMonthlyAnchor ?? 1}">
                <label for="minimum_payout">Minimum payout ({Html.E(currency.Code)})</label>
                <input id="minimum_payout" name="minimum_payout" inputmode="decimal" value="{Html.E(new Money(config.MinimumPayout, currency).ToDecimalString())}">
                <p class="hint">With a minimum, the platform pays out on your schedule only once your available balance reaches it.</p>
                <button type="submit">Save payout settings</button>
              </form>
            </section>
            <section aria-labelledby="payouts"><h2 id="payouts">Payouts</h2>
              <table><thead><tr><th scope="col">Payout</th><th scope="col">Period</th><th scope="col">Amount</th><th scope="col">Status</th></tr></thead><tbody>
              {string.Concat(payouts.Items.Select(p => $"<tr><td><code>{Html.E(p.PayoutId)}</code></td><td>{Html.E(p.Period)}</td><td>{M(p.Amount, p.Currency)}</td><td>{Html.E(p.Status)}</td></tr>"))}
              </tbody></table>
            </section>
            <section aria-labelledby="payments"><h2 id="payments">Payments</h2>
              <table><thead><tr><th scope="col">Payment</th><th scope="col">Order</th><th scope="col">Status</th><th scope="col">Total</th><th scope="col">Yours</th><th scope="col">Platform fee</th><th scope="col">Refunded</th><th scope="col">Created</th></tr></thead><tbody>
              {string.Concat(payments.Select(p => $"<tr><td><code>{Html.E(p.PaymentId)}</code></td><td>{Html.E(p.OrderId)}</td><td>{Html.E(p.Status)}</td><td>{M(p.AmountTotal, p.Currency)}</td><td>{M(p.AmountVendor, p.Currency)}</td><td>{M(p.PlatformFee, p.Currency)}</td><td>{M(p.Refunded, p.Currency)}</td><td>{AdminLayout.Time(p.CreatedAt)}</td></tr>"))}
              </tbody></table>
            </section>
            """;
        var header = $"""
            <header class="admin-bar"><form method="post" action="/vendor/sign-out" class="sign-out">{af}
              <span>Signed in as {Html.E(http.User.FindFirst(VendorSession.NameClaim)?.Value ?? http.Caller().Audit)} for {Html.E(vendor.Id)}</span>
              <button type="submit">Sign out</button></form></header>
            """;
        return Html.Page($"{vendor.Name} · Vendor", body, status, header: header, wide: true, @private: true);
    }
}
