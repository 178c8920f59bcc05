using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Payments.Server.Features.Auth;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Pages;

/// <summary>The dashboard's sign-in and session cookie; the authorization matrix covers Bearer callers on every /admin route.</summary>
public sealed class AdminSessionTests(SqliteAuthApp fixture) : PageTestsBase<SqliteAuthApp>(fixture)
{
    private static readonly string[] Pages = ["/admin", "/admin/revenue", "/admin/webhooks", "/admin/outgoing", "/admin/audit"];

    [Fact]
    public async Task An_admin_key_opens_a_session_cookie_that_is_httponly_samesite_strict_and_scoped_to_the_dashboard()
    {
        using var client = App.Client();
        var signIn = await client.SubmitForm("/admin/sign-in", "/admin/sign-in", ("credential", Credentials.AdminKey), ("return_url", "/admin/audit"));

        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        Assert.Equal("/admin/audit", signIn.Headers.Location!.ToString());
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AdminSession.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("path=/admin", cookie);
        Assert.Contains("samesite=strict", cookie);
        Assert.Contains("httponly", cookie);
        Assert.DoesNotContain("expires=", cookie); // a browser-session cookie; the ticket inside carries the lifetime
        Assert.DoesNotContain(Credentials.AdminKey, cookie);
        foreach (var page in Pages)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(page)).StatusCode);
    }

    [Fact]
    public async Task A_return_url_with_a_line_break_signs_in_to_the_dashboard_instead_of_failing()
    {
        using var client = App.Client();
        var signIn = await client.SubmitForm("/admin/sign-in", "/admin/sign-in",
            ("credential", Credentials.AdminKey), ("return_url", "/admin/audit\r\nSet-Cookie: a=b"));

        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        Assert.Equal("/admin", signIn.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("service key")]
    [InlineData("user token")]
    [InlineData("revoked admin key")]
    [InlineData("admin token without a subject")] // the API refuses a blank sub too (AuthSetup.RequireSubject)
    [InlineData("token with several roles")] // the API refuses it too (JwtRules)
    [InlineData("nonsense")]
    public async Task Only_an_active_admin_credential_opens_a_session(string what)
    {
        var credential = what switch
        {
            "service key" => (await Credentials.CreateKey(App, "service")).Secret,
            "user token" => Credentials.Jwt("alice"),
            "revoked admin key" => await RevokedAdminKey(),
            "admin token without a subject" => Credentials.Jwt(" ", "admin"),
            "token with several roles" => new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
            {
                Claims = new Dictionary<string, object> { ["sub"] = "two-hats", ["role"] = new[] { "admin", "user" } },
                Expires = DateTime.UtcNow.AddMinutes(5),
                SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                    new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(Credentials.JwtSecret)),
                    Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
            }),
            _ => "psk_nonsense",
        };
        using var client = App.Client();
        var signIn = await client.SubmitForm("/admin/sign-in", "/admin/sign-in", ("credential", credential));

        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.Contains("role=\"alert\"", await signIn.Content.ReadAsStringAsync());
        Assert.False(signIn.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(AdminSession.CookieName, StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Found, (await client.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task An_admin_token_opens_a_session_that_ends_no_later_than_the_token()
    {
        using var client = await Admin(Credentials.Jwt("root", "admin"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin")).StatusCode);

        await using var scope = App.Services.CreateAsyncScope();
        var credentials = scope.ServiceProvider.GetRequiredService<AdminCredentials>();
        var (session, _) = await credentials.VerifyAsync(Credentials.Jwt("root", "admin", expiresIn: TimeSpan.FromMinutes(3)), default);
        Assert.InRange(session!.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(2), DateTimeOffset.UtcNow.AddMinutes(3.1));
        Assert.Equal("admin:root", session.Actor);
    }

    [Fact]
    public async Task Revoking_the_key_ends_the_sessions_it_opened_at_once()
    {
        var (id, secret) = await Credentials.CreateKey(App, "admin", "revoke me");
        using var client = await Admin(secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin")).StatusCode);

        using (var admin = App.Client().As(Credentials.AdminKey))
            (await admin.DeleteAsync($"/api/v1/admin/api-keys/{id}")).EnsureSuccessStatusCode();

        var after = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Found, after.StatusCode);
        Assert.StartsWith("/admin/sign-in", after.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task The_session_cookie_does_not_authorize_the_json_api()
    {
        var cookie = await SessionCookie();
        using var browser = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = App.BaseAddress };
        Task<HttpResponseMessage> Get(string path) =>
            browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "Cookie", cookie } } });

        Assert.Equal(HttpStatusCode.OK, (await Get("/admin/audit")).StatusCode); // a real session…
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get("/api/v1/audit")).StatusCode); // …that the API ignores
    }

    [Fact]
    public async Task Signing_out_ends_the_session_and_needs_the_forms_token()
    {
        using var client = await Admin();
        var page = await client.GetStringAsync("/admin");

        var forged = await client.PostAsync("/admin/sign-out", Forms.FormWith(null));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin")).StatusCode);

        var signOut = await client.PostAsync("/admin/sign-out", Forms.FormWith(Forms.Token(page)));
        Assert.Equal(HttpStatusCode.SeeOther, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await client.GetAsync("/admin")).StatusCode);
    }

    [Theory]
    [InlineData("/admin/payments/pay_1", "/admin/payments/pay_1")]
    [InlineData("https://evil.example/admin", "/admin")]
    [InlineData("//evil.example/admin", "/admin")]
    [InlineData("/admin//evil.example", "/admin")]
    [InlineData("/admin/sign-in", "/admin")]
    [InlineData("/api/v1/audit", "/admin")]
    [InlineData("/admin/payments\r\nSet-Cookie: a=b", "/admin")]
    [InlineData(null, "/admin")]
    public void After_sign_in_the_browser_only_goes_somewhere_inside_the_dashboard(string? requested, string expected) =>
        Assert.Equal(expected, AdminSession.SafeReturnUrl(requested));

    private async Task<string> RevokedAdminKey()
    {
        var (id, secret) = await Credentials.CreateKey(App, "admin", "revoked");
        using var admin = App.Client().As(Credentials.AdminKey);
        (await admin.DeleteAsync($"/api/v1/admin/api-keys/{id}")).EnsureSuccessStatusCode();
        return secret;
    }

    /// <summary>The session cookie as a browser would send it, from a sign-in's Set-Cookie.</summary>
    private async Task<string> SessionCookie()
    {
        using var client = App.Client();
        var signIn = await client.SubmitForm("/admin/sign-in", "/admin/sign-in", ("credential", Credentials.AdminKey));
        return signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AdminSession.CookieName, StringComparison.Ordinal)).Split(';')[0];
    }
}
