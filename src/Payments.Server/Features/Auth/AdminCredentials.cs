using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Payments.Server.Data;

namespace Payments.Server.Features.Auth;

/// <summary>
/// Checks what an admin types on the sign-in page with exactly the rules the API applies to a
/// Bearer credential: an API key by the SHA-256 of its secret (active, role admin), or a JWT with
/// the API's own validation parameters (JWT_SECRET_KEY, algorithm, issuer, audience, lifetime) and role admin.
/// </summary>
public sealed class AdminCredentials(PaymentsDb db, IOptionsMonitor<JwtBearerOptions> jwt, TimeProvider clock, AuthOptions options)
{
    public sealed record Session(ClaimsPrincipal Principal, DateTimeOffset ExpiresAt, string Actor);

    /// <summary>The session to open, or null with why not (said to the admin without revealing which check failed for a key).</summary>
    public async Task<(Session? Session, string? Error)> VerifyAsync(string? credential, CancellationToken ct)
    {
        credential = credential?.Trim();
        if (string.IsNullOrEmpty(credential)) return (null, "Enter an admin API key or an admin token.");
        var lifetime = clock.GetUtcNow() + options.AccessTokenLifetime;
        return ApiKeyAuthentication.LooksLikeJwt(credential)
            ? await FromJwtAsync(credential, lifetime)
            : await FromApiKeyAsync(credential, lifetime, ct);
    }

    private async Task<(Session?, string?)> FromApiKeyAsync(string secret, DateTimeOffset expiresAt, CancellationToken ct)
    {
        var (key, _) = await ApiKeyLookup.FindActiveKeyAsync(db, secret, ct);
        if (key is null || key.Role != Caller.AdminRole)
            return (null, "That is not an active admin API key.");
        var principal = AdminSession.Principal(key.Id, "api_key", key.Name);
        return (new Session(principal, expiresAt, Caller.From(principal).Audit), null);
    }

    private async Task<(Session?, string?)> FromJwtAsync(string token, DateTimeOffset expiresAt)
    {
        var parameters = jwt.Get(AuthSetup.JwtScheme).TokenValidationParameters;
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, parameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken valid)
            return (null, options.JwtKey is null
                ? "Token sign-in is off here (JWT_SECRET_KEY is not set); use an admin API key."
                : "That token is not valid here (expired, or not signed with this service's JWT_SECRET_KEY).");
        var subject = valid.Subject;
        var role = result.ClaimsIdentity.FindFirst(Caller.RoleClaim)?.Value;
        if (string.IsNullOrWhiteSpace(subject))
            return (null, "That token names nobody (its sub claim is empty).");
        if (JwtRules.Problem(result.ClaimsIdentity) is { } problem) // refused as the API refuses it
            return (null, $"That token is not accepted here: {problem}");
        if (role != Caller.AdminRole)
            return (null, "That token does not belong to an admin (its role claim is not \"admin\").");
        // The session never outlives the token it was opened with.
        var tokenEnd = new DateTimeOffset(valid.ValidTo, TimeSpan.Zero);
        var principal = AdminSession.Principal(subject, "jwt", subject);
        return (new Session(principal, tokenEnd < expiresAt ? tokenEnd : expiresAt, Caller.From(principal).Audit), null);
    }
}
