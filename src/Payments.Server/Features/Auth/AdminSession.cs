using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Payments.Server.Data;

namespace Payments.Server.Features.Auth;

/// <summary>
/// The admin dashboard's session: an admin proves who they are once on <c>/admin/sign-in</c> (an
/// admin API key or an admin JWT, see <see cref="AdminCredentials"/>) and gets an HttpOnly,
/// SameSite=Strict cookie, scoped to <c>/admin</c>, that lasts <c>JWT_ACCESS_TOKEN_EXPIRE_MINUTES</c>
/// (never longer than the JWT it came from). Only dashboard routes read it: the JSON API keeps
/// Bearer credentials, so a cookie can never authorize an API call a foreign page makes the browser send.
/// </summary>
public static class AdminSession
{
    public const string Scheme = "AdminCookie";
    public const string PagesPolicy = "admin-pages";
    public const string CookieName = "payments_admin";
    public const string SignInPath = "/admin/sign-in";
    public const string ReturnUrlParameter = PageSession.ReturnUrlParameter;

    /// <summary>Display name for the page header ("ADMIN_API_KEY", "root").</summary>
    public const string NameClaim = "name";

    public static AuthenticationBuilder AddAdminSession(this AuthenticationBuilder auth)
    {
        // Strict: nothing brings an admin here from another site, so no other site's request carries the cookie.
        PageSession.AddCookie(auth, Scheme, CookieName, "/admin", SignInPath, SameSiteMode.Strict, (key, _) => key.Role == Caller.AdminRole);
        auth.Services.AddScoped<AdminCredentials>();
        return auth;
    }

    public static AuthorizationBuilder AddAdminPagesPolicy(this AuthorizationBuilder authorization) =>
        authorization.AddPolicy(PagesPolicy, p => p
            .AddAuthenticationSchemes(Scheme)
            .RequireAuthenticatedUser()
            .RequireRole(Caller.AdminRole));

    /// <summary>The principal the cookie carries: the same claims a Bearer credential yields, so <see cref="Caller"/> reads both alike.</summary>
    public static ClaimsPrincipal Principal(string subject, string kind, string name) =>
        new(new ClaimsIdentity(
        [
            new Claim(Caller.SubjectClaim, subject),
            new Claim(Caller.RoleClaim, Caller.AdminRole),
            new Claim(Caller.KindClaim, kind),
            new Claim(NameClaim, name),
        ], Scheme, Caller.SubjectClaim, Caller.RoleClaim));

    /// <summary>
    /// Where to go after signing in: only a path inside the dashboard (no open redirect), and none with
    /// control characters, which a Location header cannot carry (the sign-in would end in a 500).
    /// </summary>
    public static string SafeReturnUrl(string? requested) =>
        requested is not null && requested.StartsWith("/admin", StringComparison.Ordinal)
                              && !requested.StartsWith("/admin/sign-", StringComparison.Ordinal)
                              && !requested.Contains("//", StringComparison.Ordinal) && !requested.Contains('\\')
                              && !requested.Any(char.IsControl)
            ? requested
            : "/admin";
}
