using Microsoft.EntityFrameworkCore;
using Payments.Server.Data;
using Payments.Server.Features.Auth;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Api;

public class ApiKeyTests(SqliteAuthApp fixture) : IClassFixture<SqliteAuthApp>
{
    [Fact]
    public async Task ADMIN_API_KEY_works_at_once_and_is_stored_only_as_a_hash()
    {
        using var admin = fixture.App.Client().As(Credentials.AdminKey);
        Assert.Equal(200, (int)(await admin.GetAsync("/api/v1/audit")).StatusCode);
        await using var db = fixture.App.Db();
        var keys = await db.Context.ApiKeys.AsNoTracking().Where(k => k.Name == "ADMIN_API_KEY").ToListAsync();
        Assert.Equal(ApiKeyAuthentication.Hash(Credentials.AdminKey), Assert.Single(keys).SecretHash);
        Assert.DoesNotContain(await db.Context.ApiKeys.AsNoTracking().Select(k => k.SecretHash).ToListAsync(), h => h.Contains(Credentials.AdminKey));
    }

    [Fact]
    public async Task Starting_again_does_not_add_a_second_bootstrap_key()
    {
        await ApiKeys.EnsureAdminKeyAsync(fixture.App.Services, CancellationToken.None);
        await ApiKeys.EnsureAdminKeyAsync(fixture.App.Services, CancellationToken.None);
        await using var db = fixture.App.Db();
        Assert.Equal(1, await db.Context.ApiKeys.CountAsync(k => k.Name == "ADMIN_API_KEY"));
    }

    [Fact]
    public async Task A_created_key_works_until_it_is_revoked_and_its_secret_is_never_listed()
    {
        var (id, secret) = await Credentials.CreateKey(fixture.App, "service", "shop backend");
        using var service = fixture.App.Client().As(secret);
        using var admin = fixture.App.Client().As(Credentials.AdminKey);
        Assert.Equal(200, (int)(await service.GetAsync("/api/v1/payments")).StatusCode);
        Assert.DoesNotContain(secret, await admin.GetStringAsync("/api/v1/admin/api-keys"));

        Assert.Equal(204, (int)(await admin.DeleteAsync($"/api/v1/admin/api-keys/{id}")).StatusCode);
        var after = await service.GetAsync("/api/v1/payments");
        Assert.Equal(401, (int)after.StatusCode);
        Assert.Contains("revoked", (await after.Body()).Str("detail"));
    }

    [Theory]
    [InlineData("{}", 422)]
    [InlineData("{\"name\":\"x\",\"role\":\"superuser\"}", 422)]
    public async Task Bad_key_requests_are_422(string json, int status)
    {
        using var admin = fixture.App.Client().As(Credentials.AdminKey);
        var response = await admin.PostAsync("/api/v1/admin/api-keys", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(status, (int)response.StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_401_even_where_guests_are_welcome()
    {
        using var expired = fixture.App.Client().As(Credentials.Jwt("late", expiresIn: TimeSpan.FromMinutes(-10)));
        var response = await expired.PostJson("/api/v1/payment/create-intent", new { plan = "basic" });
        Assert.Equal(401, (int)response.StatusCode);
        Assert.Contains("expired", (await response.Body()).Str("detail"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_token_without_sub_is_refused_instead_of_seeing_every_guest_payment()
    {
        var guest = (await (await fixture.App.Client().PostJson("/api/v1/payment/create-intent", new { plan = "basic" })).Body()).Str("payment_id");
        var noSub = JwtWith(new Dictionary<string, object> { ["uid"] = "someone", ["role"] = "user" });
        using var client = fixture.App.Client().As(noSub);

        var response = await client.GetAsync("/api/v1/payments");

        Assert.Equal(401, (int)response.StatusCode);
        Assert.DoesNotContain(guest, await response.Content.ReadAsStringAsync());
        Assert.Contains("'sub'", (await response.Body()).Str("detail"));
    }

    [Fact]
    public async Task A_token_cannot_make_itself_an_api_key_caller()
    {
        var forged = JwtWith(new Dictionary<string, object> { ["sub"] = "mallory", ["role"] = "service", ["auth_kind"] = "api_key" });
        using var client = fixture.App.Client().As(forged);
        Assert.Equal(401, (int)(await client.GetAsync("/api/v1/payments")).StatusCode);

        // And without the reserved claim, role=service in a token is still a person, not the host application.
        using var person = fixture.App.Client().As(JwtWith(new Dictionary<string, object> { ["sub"] = "mallory", ["role"] = "service" }));
        var spend = await person.PostJson("/api/v1/credits/spend", new { user_id = "victim", amount = 1, reference = "r1" });
        Assert.Equal(403, (int)spend.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/v1/admin/api-keys")]
    [InlineData("GET", "/api/v1/payments")]
    [InlineData("POST", "/api/v1/payment/create-intent")]
    public async Task A_token_with_several_roles_is_refused_everywhere(string method, string path)
    {
        // The API used to read any "admin" among them (RequireRole), the dashboard only the first.
        var token = JwtWith(new Dictionary<string, object> { ["sub"] = "two-hats", ["role"] = new[] { "user", "admin" } });
        using var client = fixture.App.Client().As(token);

        var response = method == "GET"
            ? await client.GetAsync(path)
            : await client.PostJson(path, new { plan = "basic" });

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Contains("'role'", (await response.Body()).Str("detail"));
    }

    [Fact]
    public async Task Creating_an_api_key_honours_Idempotency_Key()
    {
        using var admin = fixture.App.Client().As(Credentials.AdminKey);
        var key = "mint-" + Guid.NewGuid();
        async Task<HttpResponseMessage> Create()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/api-keys")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { name = "idempotent " + key, role = "service" }),
            };
            request.Headers.Add("Idempotency-Key", key);
            return await admin.SendAsync(request);
        }

        var first = await Create();
        var second = await Create();

        Assert.Equal((201, 201), ((int)first.StatusCode, (int)second.StatusCode));
        Assert.Equal((await first.Body()).Str("id"), (await second.Body()).Str("id"));
        Assert.Equal((await first.Body()).Str("key"), (await second.Body()).Str("key"));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        await using var db = fixture.App.Db();
        Assert.Equal(1, await db.Context.ApiKeys.CountAsync(k => k.Name == "idempotent " + key));
        // The secret is replayed, but never stored readable: the stored response is encrypted.
        var stored = await db.Context.IdempotencyKeys.AsNoTracking().SingleAsync(r => r.Key == key);
        Assert.DoesNotContain((await first.Body()).Str("key"), System.Text.Encoding.UTF8.GetString(stored.ResponseBody!));
    }

    private static string JwtWith(Dictionary<string, object> claims) =>
        new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Claims = claims,
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(Credentials.JwtSecret)),
                Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        });

    [Fact]
    public async Task A_token_with_another_algorithm_is_refused()
    {
        using var client = fixture.App.Client().As(Credentials.Jwt("alg", algorithm: Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha512,
            secret: Credentials.JwtSecret + Credentials.JwtSecret));
        Assert.Equal(401, (int)(await client.GetAsync("/api/v1/payments")).StatusCode);
    }
}
