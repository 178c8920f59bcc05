using Microsoft.EntityFrameworkCore;
using Payments.Core.Errors;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Auth;

namespace Payments.Server.Features.Vendors;

/// <summary>
/// Who may act for a vendor. A vendor's person (JWT <c>role=vendor</c> with a <c>vendor_id</c> claim) or key (role
/// <c>vendor</c>, bound to one vendor) reaches only <c>/api/v1/vendor/…</c>, and there only its own vendor: the vendor
/// comes from the credential, never from the request, and anything of another vendor is "not found" (404), as
/// someone else's payment is.
/// </summary>
public static class VendorAccess
{
    public const string Policy = "vendor";

    public static IServiceCollection AddVendorPolicy(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.RequireAuthenticatedUser().RequireAssertion(c => Caller.From(c.User).IsVendor));
        return services;
    }

    /// <summary>The calling vendor's row; 404 when the credential names a vendor that does not exist.</summary>
    public static async Task<Vendor> CurrentAsync(HttpContext http, PaymentsDb db, CancellationToken ct)
    {
        var id = http.Caller().VendorId ?? throw new PaymentsException(ErrorKind.Forbidden, "Only a vendor may use this route.");
        return await FindAsync(db, id, ct);
    }

    public static async Task<Vendor> FindAsync(PaymentsDb db, string vendorId, CancellationToken ct) =>
        await db.Vendors.AsNoTracking().FirstOrDefaultAsync(v => v.Id == vendorId, ct)
        ?? throw PaymentsException.NotFound($"No vendor '{vendorId}'.");
}

/// <summary>The rule for API keys with role <c>vendor</c>: bound to exactly one vendor that exists.</summary>
public static class VendorKeys
{
    /// <summary>The vendor id to store on a new key (null for other roles); refuses a vendor key without a known vendor.</summary>
    public static async Task<string?> CheckAsync(PaymentsDb db, string role, string? vendorId, CancellationToken ct)
    {
        if (role != Caller.VendorRole)
            return vendorId is null ? null : throw PaymentsException.Validation("'vendor_id' belongs only to keys with role 'vendor'.");
        if (string.IsNullOrWhiteSpace(vendorId))
            throw PaymentsException.Validation("A key with role 'vendor' needs 'vendor_id': the one vendor it acts for.");
        if (!await db.Vendors.AsNoTracking().AnyAsync(v => v.Id == vendorId, ct))
            throw PaymentsException.Validation($"No vendor '{vendorId}'.");
        return vendorId;
    }
}
