using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Payments.Server.Data;

namespace Payments.Server.Tests.Support;

/// <summary>Tokens as a host application would sign them, and the settings that make the service accept them.</summary>
public static class Credentials
{
    public const string JwtSecret = "test-jwt-secret-0123456789abcdef0123456789abcdef";
    public const string AdminKey = "test-admin-api-key-0123456789abcdef";

    public static Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["JWT_SECRET_KEY"] = JwtSecret, ["ADMIN_API_KEY"] = AdminKey };
        foreach (var (k, v) in more ?? []) settings[k] = v;
        return settings;
    }

    public static string Jwt(string sub, string role = "user", TimeSpan? expiresIn = null, string secret = JwtSecret,
        string algorithm = SecurityAlgorithms.HmacSha256)
    {
        var now = DateTime.UtcNow;
        var expires = now + (expiresIn ?? TimeSpan.FromMinutes(10));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", sub), new Claim("role", role)]),
            IssuedAt = expires < now ? expires.AddMinutes(-5) : now,
            NotBefore = expires < now ? expires.AddMinutes(-5) : now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), algorithm),
        });
    }

    public static HttpClient As(this HttpClient client, string? bearer)
    {
        client.DefaultRequestHeaders.Authorization = bearer is null ? null : new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    /// <summary>Creates an API key through the admin API and returns its secret.</summary>
    public static async Task<(string Id, string Secret)> CreateKey(PaymentsApp app, string role = "service", string name = "test key")
    {
        using var admin = app.Client().As(AdminKey);
        var response = await admin.PostAsJsonAsync("/api/v1/admin/api-keys", new { name, role });
        response.EnsureSuccessStatusCode();
        var body = await response.Body();
        return (body.Str("id"), body.Str("key"));
    }
}

/// <summary>A service with JWT sign-in and the bootstrap admin key configured.</summary>
public abstract class AuthApp(DatabaseKind engine) : AppFixture(engine)
{
    protected override IReadOnlyDictionary<string, string?> Settings => Credentials.Settings();
}

public class SqliteAuthApp() : AuthApp(DatabaseKind.Sqlite);

public class PostgresAuthApp() : AuthApp(DatabaseKind.Postgres);
