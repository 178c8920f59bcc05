using Payments.Server.Features.Vendors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Payments.Core.Errors;

namespace Payments.Server.Features.Auth;

public static class AuthSetup
{
    public const string Bearer = "Bearer";
    public const string JwtScheme = "Jwt";
    public const string AdminPolicy = "admin";
    public const string SignedInPolicy = "signed-in";

    /// <summary>
    /// One "Bearer" scheme in front of two: a JWT (three base64url parts) goes to JwtBearer, anything
    /// else to the API-key handler. Callers never have to say which kind of credential they send.
    /// </summary>
    public static IServiceCollection AddPaymentsAuth(this IServiceCollection services)
    {
        services.AddSingleton(sp => AuthOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddAuthentication(Bearer)
            .AddPolicyScheme(Bearer, "JWT or API key", o => o.ForwardDefaultSelector = context =>
                ApiKeyAuthentication.BearerToken(context.Request) is { } token && !ApiKeyAuthentication.LooksLikeJwt(token)
                    ? ApiKeyAuthentication.SchemeName
                    : JwtScheme)
            .AddJwtBearer(JwtScheme, _ => { })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddAdminSession() // the dashboard's cookie; only routes whose policy names it read it
            .AddVendorSession(); // the vendor page's cookie, likewise

        services.AddOptions<JwtBearerOptions>(JwtScheme)
            .Configure<AuthOptions>((jwt, auth) =>
            {
                jwt.MapInboundClaims = false; // keep "sub" and "role" as the host application wrote them
                jwt.Events = new JwtBearerEvents { OnTokenValidated = RequireSubject };
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuerSigningKey = true,
                    // No JWT_SECRET_KEY: a random key nobody has, so every token fails (JWT sign-in is off).
                    IssuerSigningKey = new SymmetricSecurityKey(auth.JwtKey ?? System.Security.Cryptography.RandomNumberGenerator.GetBytes(64)),
                    ValidAlgorithms = [auth.JwtAlgorithm],
                    ValidateIssuer = auth.Issuer is not null,
                    ValidIssuer = auth.Issuer,
                    ValidateAudience = auth.Audience is not null,
                    ValidAudience = auth.Audience,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = Caller.SubjectClaim,
                    RoleClaimType = Caller.RoleClaim,
                };
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(SignedInPolicy, p => p.RequireAuthenticatedUser())
            .AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(Caller.AdminRole))
            .AddAdminPagesPolicy();
        services.AddSingleton<JwtIssuer>();
        return services;
    }

    /// <summary>The claims rules every token must meet (<see cref="JwtRules"/>), the dashboard's sign-in alike.</summary>
    private static Task RequireSubject(TokenValidatedContext context)
    {
        if (JwtRules.Problem(context.Principal?.Identity as System.Security.Claims.ClaimsIdentity) is { } problem) context.Fail(problem);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Credentials that were sent but do not hold (expired, signed with another key, revoked) are a 401
    /// everywhere, also on routes that allow guests: silently treating the caller as a guest would
    /// create payments that belong to nobody.
    /// </summary>
    public static IApplicationBuilder RejectInvalidCredentials(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Headers.Authorization.Count > 0 && context.User.Identity?.IsAuthenticated != true
            && !context.Request.Path.StartsWithSegments("/api/v1/payment/webhook"))
        {
            var result = await context.AuthenticateAsync(Bearer);
            throw new PaymentsException(ErrorKind.Unauthorized,
                "The credentials in the Authorization header are not valid: " + (result.Failure?.Message ?? "unreadable Bearer token."));
        }
        await next(context);
    });
}
