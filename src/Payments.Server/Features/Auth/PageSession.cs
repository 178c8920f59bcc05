using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Payments.Server.Data;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Auth;

/// <summary>
/// The cookie of a browser page's session (the admin dashboard, the vendor page): HttpOnly, scoped to the page's path,
/// a fixed lifetime of <c>JWT_ACCESS_TOKEN_EXPIRE_MINUTES</c> (activity does not extend it), a 403 rather than a redirect
/// when signed in but not allowed, and, for a session opened with an API key, an end as soon as the key is revoked or
/// no longer grants the page (checked on every request, one indexed read). A JWT cannot be revoked; its session ends with it.
/// </summary>
public static class PageSession
{
    public const string ReturnUrlParameter = "return_url";

    /// <param name="stillGrants">Whether the active key still opens this page for the session's principal.</param>
    public static void AddCookie(AuthenticationBuilder auth, string scheme, string cookieName, string path, string signInPath,
        SameSiteMode sameSite, Func<ApiKey, ClaimsPrincipal, bool> stillGrants)
    {
        auth.AddCookie(scheme, o =>
        {
            o.Cookie.Name = cookieName;
            o.Cookie.Path = path;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = sameSite;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = signInPath;
            o.ReturnUrlParameter = ReturnUrlParameter;
            o.SlidingExpiration = false;
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
            o.Events.OnValidatePrincipal = context => RejectRevokedKeysAsync(context, scheme, stillGrants);
        });
        auth.Services.AddOptions<CookieAuthenticationOptions>(scheme)
            .Configure<AuthOptions>((o, options) => o.ExpireTimeSpan = options.AccessTokenLifetime);
    }

    private static async Task RejectRevokedKeysAsync(CookieValidatePrincipalContext context, string scheme, Func<ApiKey, ClaimsPrincipal, bool> stillGrants)
    {
        if (context.Principal?.FindFirst(Caller.KindClaim)?.Value != "api_key") return;
        var keyId = context.Principal.FindFirst(Caller.SubjectClaim)?.Value;
        var db = context.HttpContext.RequestServices.GetRequiredService<PaymentsDb>();
        var (key, _) = keyId is null ? default : await ApiKeyLookup.FindActiveKeyByIdAsync(db, keyId, context.HttpContext.RequestAborted);
        if (key is not null && stillGrants(key, context.Principal)) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(scheme);
    }
}
