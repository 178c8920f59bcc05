using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Payments.Core.Errors;
using Payments.Server.Data;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Limits;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Admin;

/// <summary>
/// <c>/admin/sign-in</c>: admins have no passwords here; they paste an admin API key (or an admin
/// JWT the host application signed) once, and get a session cookie (<see cref="AdminSession"/>).
/// The credential itself is never stored in the cookie or the audit log.
/// </summary>
public static class SignInPage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(AdminSession.SignInPath, (HttpContext http, string? return_url) => Render(http, return_url))
            .WithTags("Admin pages").ExcludeFromDescription().AllowAnonymous();
        app.MapPost(AdminSession.SignInPath, SignInAsync)
            .WithTags("Admin pages").ExcludeFromDescription().AllowAnonymous()
            .RequireRateLimiting(RateLimits.AdminSignIn); // per client address: no guessing keys at full speed
        app.MapPost("/admin/sign-out", SignOutAsync)
            .WithTags("Admin pages").ExcludeFromDescription().RequireAuthorization(AdminSession.PagesPolicy)
            .RequireFormToken();
    }

    private static async Task<IResult> SignInAsync(
        [FromForm] string? credential, [FromForm] string? return_url, HttpContext http, AdminCredentials credentials,
        PaymentsDb db, TimeProvider clock, ILogger<AdminCredentials> log, CancellationToken ct)
    {
        var (session, error) = await credentials.VerifyAsync(credential, ct);
        if (session is null)
        {
            log.LogWarning("Admin sign-in refused from {Ip}: {Why}", http.Connection.RemoteIpAddress, error);
            return Render(http, return_url, error, Problems.StatusOf(ErrorKind.Unauthorized));
        }
        await http.SignInAsync(AdminSession.Scheme, session.Principal, new AuthenticationProperties
        {
            ExpiresUtc = session.ExpiresAt,
            IsPersistent = false, // a browser session cookie; the ticket inside expires at ExpiresUtc regardless
            AllowRefresh = false,
        });
        db.Add(clock.GetUtcNow(), "admin.sign_in", session.Actor, null, new { expires_at = session.ExpiresAt });
        await db.SaveWriteAsync(ct);
        return Html.SeeOther(AdminSession.SafeReturnUrl(return_url));
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, PaymentsDb db, TimeProvider clock, CancellationToken ct)
    {
        var actor = http.Caller().Audit;
        await http.SignOutAsync(AdminSession.Scheme);
        db.Add(clock.GetUtcNow(), "admin.sign_out", actor, null);
        await db.SaveWriteAsync(ct);
        return Html.SeeOther(AdminSession.SignInPath);
    }

    private static IResult Render(HttpContext http, string? returnUrl, string? error = null, int status = 200)
    {
        var invalid = error is null ? "" : " aria-invalid=\"true\"";
        var describedBy = error is null ? "credential-hint" : "credential-error credential-hint";
        var message = error is null ? "" : $"<p class=\"error\" id=\"credential-error\" role=\"alert\">{Html.E(error)}</p>";
        var body = $"""
            <h1>Admin sign-in</h1>
            {message}
            <form method="post" action="{AdminSession.SignInPath}" class="stacked">
              {Html.AntiforgeryField(http)}
              <input type="hidden" name="return_url" value="{Html.E(AdminSession.SafeReturnUrl(returnUrl))}">
              <label for="credential">Admin API key or token</label>
              <input type="password" id="credential" name="credential" required autocomplete="off" spellcheck="false"
                     aria-describedby="{describedBy}"{invalid}>
              <p class="hint" id="credential-hint">An API key with role admin (for example the one in ADMIN_API_KEY), or a
              JWT with role "admin" signed with this service's JWT_SECRET_KEY. You stay signed in for the token lifetime
              (JWT_ACCESS_TOKEN_EXPIRE_MINUTES) or until you sign out.</p>
              <button type="submit">Sign in</button>
            </form>
            """;
        return Html.Page("Admin sign-in", body, status, @private: true);
    }
}
