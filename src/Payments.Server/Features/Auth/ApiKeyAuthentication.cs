using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Payments.Server.Data;

namespace Payments.Server.Features.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;api key&gt;</c>. The key's SHA-256 is looked up (a unique index), so
/// a stolen database does not yield usable keys and the lookup leaks nothing about the secret.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, PaymentsDb db)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerToken(Request);
        if (token is null) return AuthenticateResult.NoResult();

        var (key, refusal) = await ApiKeyLookup.FindActiveKeyAsync(db, token, Context.RequestAborted);
        if (key is null) return AuthenticateResult.Fail(refusal!);

        var identity = new ClaimsIdentity(
        [
            new Claim(Caller.SubjectClaim, key.Id),
            new Claim(Caller.RoleClaim, key.Role),
            new Claim(Caller.KindClaim, "api_key"),
        ], SchemeName, Caller.SubjectClaim, Caller.RoleClaim);
        if (key.VendorId is not null) identity.AddClaim(new Claim(Caller.VendorIdClaim, key.VendorId));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7 ? header[7..].Trim() : null;
    }

    /// <summary>A JWT is three base64url parts; anything else in a Bearer header is treated as an API key.</summary>
    public static bool LooksLikeJwt(string token) => token.Count(c => c == '.') == 2 && token.StartsWith("ey", StringComparison.Ordinal);

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
