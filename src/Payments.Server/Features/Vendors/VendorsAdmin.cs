using Microsoft.EntityFrameworkCore;
using Payments.Core;
using Payments.Core.Billing;
using Payments.Core.Errors;
using Payments.Core.Marketplace;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Idempotency;

namespace Payments.Server.Features.Vendors;

/// <summary>
/// <c>/api/v1/vendors</c> (admins): create and list vendors, read one with its configuration and balance, set its
/// platform fee (only admins set fees; a vendor cannot lower its own), and the platform's fees per currency.
/// </summary>
public static class VendorsAdmin
{
    /// <param name="PlatformFeeBps">Basis points (250 = 2.5 %, the default).</param>
    public sealed record CreateRequest(string? Name, string? Email, string? Country, string? Currency, int? PlatformFeeBps = null);
    public sealed record Created(string VendorId, string Name, string Email, string Country, string Currency, int PlatformFeeBps);
    public sealed record VendorView(string VendorId, string Name, string Email, string Country, string Currency, int PlatformFeeBps,
        string? Provider, string? AccountId, DateTimeOffset CreatedAt);
    public sealed record VendorList(IReadOnlyList<VendorView> Items);
    public sealed record FeeRequest(int? PlatformFeeBps);

    public static void Map(IEndpointRouteBuilder app)
    {
        var vendors = app.MapGroup("/api/v1/vendors").WithTags("Marketplace").RequireAuthorization(AuthSetup.AdminPolicy);
        vendors.MapPost("", CreateAsync).WithName("CreateVendor").WithSummary("Create a vendor (admins).").Idempotent()
            .Produces<Created>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        vendors.MapGet("", ListAsync).WithName("ListVendors").WithSummary("Every vendor, oldest first (admins).").Produces<VendorList>();
        vendors.MapGet("/{vendorId}", async (string vendorId, PaymentsDb db, CancellationToken ct) => Results.Ok(View(await VendorAccess.FindAsync(db, vendorId, ct))))
            .WithName("GetVendor").WithSummary("One vendor (admins).").Produces<VendorView>().ProducesProblem(StatusCodes.Status404NotFound);
        vendors.MapPut("/{vendorId}/platform-fee", SetFeeAsync).WithName("SetVendorPlatformFee")
            .WithSummary("Set a vendor's platform fee in basis points (admins only); applies to payments started afterwards.")
            .Produces<VendorView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        vendors.MapGet("/{vendorId}/balance", async (string vendorId, PaymentsDb db, CancellationToken ct) =>
            {
                await VendorAccess.FindAsync(db, vendorId, ct);
                return Results.Ok(new VendorBalance.Response(vendorId, await MarketLedger.BalancesAsync(db, MarketAccounts.Vendor(vendorId), ct)));
            })
            .WithName("GetVendorBalanceAsAdmin").WithSummary("A vendor's balance per currency (admins).")
            .Produces<VendorBalance.Response>().ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/v1/platform/fees", async (PaymentsDb db, CancellationToken ct) =>
                Results.Ok(new VendorBalance.FeesResponse(await MarketLedger.BalancesAsync(db, MarketAccounts.Fees, ct))))
            .WithTags("Marketplace").RequireAuthorization(AuthSetup.AdminPolicy).WithName("GetPlatformFees")
            .WithSummary("The platform's fees kept, net of fees given back by refunds, per currency (admins).")
            .Produces<VendorBalance.FeesResponse>();
    }

    private static async Task<IResult> CreateAsync(CreateRequest? request, HttpContext http, PaymentsDb db, TimeProvider clock, CancellationToken ct)
    {
        if (request is null) throw PaymentsException.BadRequest("Send {\"name\",\"email\",\"country\",\"currency\"}.");
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200 || name.Any(char.IsControl))
            throw PaymentsException.Validation("'name' is required (1 to 200 characters).");
        var email = request.Email?.Trim();
        if (email is null || email.Length > 254 || email.Count(c => c == '@') != 1 || email.StartsWith('@') || email.EndsWith('@') || email.Any(char.IsWhiteSpace))
            throw PaymentsException.Validation("'email' must be an email address.");
        var country = request.Country?.Trim().ToUpperInvariant();
        if (country is null || !Countries.IsAssigned(country))
            throw PaymentsException.Validation("'country' must be an ISO 3166-1 alpha-2 code, e.g. \"DE\".");
        if (!Core.Money.Currency.TryOfExactCode(request.Currency, out var currency))
            throw PaymentsException.Validation("'currency' must be an upper-case ISO 4217 code, e.g. \"EUR\".");
        var fee = request.PlatformFeeBps is null ? PlatformFee.DefaultBps : PlatformFee.Validate(request.PlatformFeeBps);

        var now = clock.GetUtcNow();
        var actor = http.Caller().Audit;
        var vendor = new Vendor
        {
            Id = Ids.New("ven", now), Name = name, Email = email, Country = country, Currency = currency.Code, PlatformFeeBps = fee,
            CreatedBy = actor, CreatedAt = now, UpdatedAt = now,
        };
        db.Vendors.Add(vendor);
        db.Add(now, "vendor.create", actor, null, new { vendor_id = vendor.Id, name, country, currency = currency.Code, platform_fee_bps = fee });
        await db.SaveWriteAsync(ct);
        return Results.Created($"/api/v1/vendors/{vendor.Id}", new Created(vendor.Id, name, email, country, currency.Code, fee));
    }

    private static async Task<IResult> ListAsync(PaymentsDb db, CancellationToken ct) =>
        Results.Ok(new VendorList((await db.Vendors.AsNoTracking().ToListAsync(ct)).OrderBy(v => v.CreatedAt).ThenBy(v => v.Id).Select(View).ToList()));

    private static async Task<IResult> SetFeeAsync(string vendorId, FeeRequest? request, HttpContext http, PaymentsDb db, TimeProvider clock, CancellationToken ct)
    {
        var fee = PlatformFee.Validate(request?.PlatformFeeBps);
        var vendor = await db.Vendors.FirstOrDefaultAsync(v => v.Id == vendorId, ct) ?? throw PaymentsException.NotFound($"No vendor '{vendorId}'.");
        var now = clock.GetUtcNow();
        db.Add(now, "vendor.platform_fee", http.Caller().Audit, null, new { vendor_id = vendorId, from = vendor.PlatformFeeBps, to = fee });
        vendor.PlatformFeeBps = fee;
        vendor.UpdatedAt = now;
        await db.SaveWriteAsync(ct);
        return Results.Ok(View(vendor));
    }

    internal static VendorView View(Vendor v) =>
        new(v.Id, v.Name, v.Email, v.Country, v.Currency, v.PlatformFeeBps, v.Provider, v.AccountId, v.CreatedAt);
}
