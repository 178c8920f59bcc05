using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Payments.Server.Data;
using Payments.Server.Features.Auth;

namespace Payments.Server.Features.Vendors;

/// <summary>
/// The vendor page's session, like the admin dashboard's (<see cref="AdminSession"/>): a vendor's person pastes a
/// vendor API key or a vendor JWT (role <c>vendor</c> with its <c>vendor_id</c>) once on <c>/vendor/sign-in</c> and gets
/// an HttpOnly cookie scoped to <c>/vendor</c>, read only by the vendor page's routes. Unlike the admin cookie it is
/// SameSite=Lax: a vendor comes back from the provider's hosted onboarding (another site) by a top-level GET to
/// <c>/vendor</c>, which a Strict cookie would not reach, sending them to sign in again. Every POST of the page still
/// needs its antiforgery token (SameSite=Strict cookie), so Lax opens no form to another site.
/// </summary>
public static class VendorSession
{
    public const string Scheme = "VendorCookie";
    public const string PagesPolicy = "vendor-pages";
    public const string CookieName = "payments_vendor";
    public const string SignInPath = "/vendor/sign-in";
    public const string NameClaim = "name";

    public static AuthenticationBuilder AddVendorSession(this AuthenticationBuilder auth)
    {
        // A key opens the page while it is an active vendor key of the same vendor.
        PageSession.AddCookie(auth, Scheme, CookieName, "/vendor", SignInPath, SameSiteMode.Lax,
            (key, principal) => key.Role == Caller.VendorRole && key.VendorId == principal.FindFirst(Caller.VendorIdClaim)?.Value);
        auth.Services.AddAuthorizationBuilder().AddPolicy(PagesPolicy, p => p
            .AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireAssertion(c => Caller.From(c.User).IsVendor));
        return auth;
    }

    public static ClaimsPrincipal Principal(string subject, string kind, string name, string vendorId) =>
        new(new ClaimsIdentity(
        [
            new Claim(Caller.SubjectClaim, subject), new Claim(Caller.RoleClaim, Caller.VendorRole), new Claim(Caller.VendorIdClaim, vendorId),
            new Claim(Caller.KindClaim, kind), new Claim(NameClaim, name),
        ], Scheme, Caller.SubjectClaim, Caller.RoleClaim));

    /// <summary>
    /// Checks what a vendor pastes with the API's own rules: an active key with role vendor (and its vendor), or a JWT
    /// valid here with role vendor and a vendor_id. The session never outlives the token.
    /// </summary>
    public static async Task<(ClaimsPrincipal? Principal, DateTimeOffset ExpiresAt, string? Error)> VerifyAsync(
        string? credential, PaymentsDb db, IOptionsMonitor<JwtBearerOptions> jwt, AuthOptions options, TimeProvider clock, CancellationToken ct)
    {
        credential = credential?.Trim();
        var expires = clock.GetUtcNow() + options.AccessTokenLifetime;
        if (string.IsNullOrEmpty(credential)) return (null, expires, "Enter a vendor API key or a vendor token.");
        if (!ApiKeyAuthentication.LooksLikeJwt(credential))
        {
            var (key, _) = await ApiKeyLookup.FindActiveKeyAsync(db, credential, ct);
            return key is { Role: Caller.VendorRole, VendorId: { } keyVendor }
                ? (Principal(key.Id, "api_key", key.Name, keyVendor), expires, null)
                : (null, expires, "That is not an active vendor API key.");
        }
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }
            .ValidateTokenAsync(credential, jwt.Get(AuthSetup.JwtScheme).TokenValidationParameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken valid)
            return (null, expires, "That token is not valid here (expired, or not signed with this service's JWT_SECRET_KEY).");
        if (JwtRules.Problem(result.ClaimsIdentity) is { } problem) return (null, expires, $"That token is not accepted here: {problem}");
        if (result.ClaimsIdentity.FindFirst(Caller.RoleClaim)?.Value != Caller.VendorRole
            || result.ClaimsIdentity.FindFirst(Caller.VendorIdClaim)?.Value is not { Length: > 0 } vendorId)
            return (null, expires, "That token does not belong to a vendor (role \"vendor\" with a vendor_id).");
        var end = new DateTimeOffset(valid.ValidTo, TimeSpan.Zero);
        return (Principal(valid.Subject, "jwt", valid.Subject, vendorId), end < expires ? end : expires, null);
    }
}
