using System.Text;
using Microsoft.IdentityModel.Tokens;
using Payments.Providers.Common;

namespace Payments.Server.Features.Auth;

/// <summary>JWT settings (seed 000 names) and the bootstrap admin key.</summary>
public sealed class AuthOptions
{
    /// <summary><c>JWT_SECRET_KEY</c>: HMAC key the host application signs user tokens with. Unset: no JWT sign-in.</summary>
    public byte[]? JwtKey { get; init; }

    /// <summary><c>JWT_ALGORITHM</c>: HS256 (default), HS384 or HS512.</summary>
    public string JwtAlgorithm { get; init; } = SecurityAlgorithms.HmacSha256;

    /// <summary><c>JWT_ACCESS_TOKEN_EXPIRE_MINUTES</c>: lifetime of tokens this service issues (dashboard sign-in).</summary>
    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary><c>JWT_ISSUER</c> / <c>JWT_AUDIENCE</c>: checked when set.</summary>
    public string? Issuer { get; init; }
    public string? Audience { get; init; }

    /// <summary><c>ADMIN_API_KEY</c>: ensured to exist as an admin key at start, so a fresh install can be driven at once.</summary>
    public string? AdminApiKey { get; init; }

    public static AuthOptions From(IConfiguration configuration)
    {
        var algorithm = (configuration.Value("JWT_ALGORITHM") ?? "HS256").ToUpperInvariant() switch
        {
            "HS256" => SecurityAlgorithms.HmacSha256,
            "HS384" => SecurityAlgorithms.HmacSha384,
            "HS512" => SecurityAlgorithms.HmacSha512,
            var other => throw new InvalidOperationException(
                $"JWT_ALGORITHM='{other}' is not supported; use HS256, HS384 or HS512 (the host application signs with JWT_SECRET_KEY)."),
        };
        byte[]? key = null;
        if (configuration.Value("JWT_SECRET_KEY") is { } secret)
        {
            key = Encoding.UTF8.GetBytes(secret);
            var minimum = algorithm == SecurityAlgorithms.HmacSha256 ? 32 : algorithm == SecurityAlgorithms.HmacSha384 ? 48 : 64;
            if (key.Length < minimum)
                throw new InvalidOperationException(
                    $"JWT_SECRET_KEY is {key.Length} bytes; {configuration.Value("JWT_ALGORITHM") ?? "HS256"} needs at least {minimum} (openssl rand -hex 32).");
        }
        var minutes = configuration.Value("JWT_ACCESS_TOKEN_EXPIRE_MINUTES");
        var admin = configuration.Value("ADMIN_API_KEY");
        if (admin is not null && admin.Length < 24)
            throw new InvalidOperationException("ADMIN_API_KEY must be at least 24 characters (openssl rand -hex 24).");
        return new AuthOptions
        {
            JwtKey = key,
            JwtAlgorithm = algorithm,
            AccessTokenLifetime = minutes is null ? TimeSpan.FromMinutes(30)
                : int.TryParse(minutes, out var m) && m > 0 ? TimeSpan.FromMinutes(m)
                : throw new InvalidOperationException("JWT_ACCESS_TOKEN_EXPIRE_MINUTES must be a positive whole number."),
            Issuer = configuration.Value("JWT_ISSUER"),
            Audience = configuration.Value("JWT_AUDIENCE"),
            AdminApiKey = admin,
        };
    }
}
