using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Payments.Server.Features.Auth;

/// <summary>
/// Signs tokens the way a host application would (sub, role, exp), for the operator CLI's
/// <c>token</c> command (testing and support). Needs JWT_SECRET_KEY. The dashboard does not sign
/// tokens: its sign-in only validates them (<see cref="AdminCredentials"/>).
/// </summary>
public sealed class JwtIssuer(AuthOptions options, TimeProvider clock)
{
    public bool CanIssue => options.JwtKey is not null;

    public string Issue(string subject, string role, TimeSpan? lifetime = null)
    {
        if (options.JwtKey is null) throw new InvalidOperationException("JWT_SECRET_KEY is not set, so no tokens can be issued.");
        var now = clock.GetUtcNow();
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim(Caller.SubjectClaim, subject), new Claim(Caller.RoleClaim, role)]),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + (lifetime ?? options.AccessTokenLifetime)).UtcDateTime,
            Issuer = options.Issuer,
            Audience = options.Audience,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(options.JwtKey), options.JwtAlgorithm),
        });
    }
}
