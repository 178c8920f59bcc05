using System.Security.Claims;

namespace Payments.Server.Features.Auth;

/// <summary>
/// The rules a host application's JWT must meet beyond its signature and lifetime, in one place for the
/// API (<see cref="AuthSetup"/>) and the dashboard's sign-in (<see cref="AdminCredentials"/>):
/// <list type="bullet">
/// <item>a <c>sub</c> naming the user (without it, "the caller's payments" would be every guest's);</item>
/// <item>not our reserved <c>auth_kind</c> claim (a token cannot make itself an API-key caller);</item>
/// <item>at most one <c>role</c>, a string. <c>"role":["user","admin"]</c> was read as admin by the API's
/// role checks (any of them) and as a user by the dashboard (the first): rather than pick a reading,
/// such a token is refused (401) everywhere.</item>
/// </list>
/// </summary>
public static class JwtRules
{
    /// <summary>Why the token's claims are refused, or null when they hold.</summary>
    public static string? Problem(ClaimsIdentity? identity)
    {
        if (string.IsNullOrWhiteSpace(identity?.FindFirst(Caller.SubjectClaim)?.Value))
            return "The token has no 'sub' claim naming the user.";
        if (identity.FindFirst(Caller.KindClaim) is not null)
            return $"The token carries the reserved claim '{Caller.KindClaim}'.";
        if (identity.FindAll(Caller.RoleClaim).Skip(1).Any())
            return "The token's 'role' claim must be one string (\"user\" or \"admin\"), not a list.";
        // A vendor token names the one vendor it acts for; without it, "the vendor's data" would be nobody's or everybody's.
        if (identity.FindFirst(Caller.RoleClaim)?.Value == Caller.VendorRole &&
            (identity.FindAll(Caller.VendorIdClaim).Count() != 1 || string.IsNullOrWhiteSpace(identity.FindFirst(Caller.VendorIdClaim)!.Value)))
            return "A token with role 'vendor' needs one 'vendor_id' claim naming the vendor.";
        return null;
    }
}
