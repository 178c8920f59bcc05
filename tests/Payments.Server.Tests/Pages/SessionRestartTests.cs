using System.Net;
using Payments.Server.Features.Auth;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Pages;

/// <summary>Data Protection keys live in DATA_PROTECTION_KEYS_DIR, so a restart does not sign admins out or void open forms.</summary>
public class SessionRestartTests
{
    [Fact]
    public async Task A_session_cookie_and_a_form_token_still_work_after_the_service_restarts()
    {
        var keys = Directory.CreateTempSubdirectory("payments-keys-").FullName;
        await using var database = new SqliteTestDatabase();
        var settings = Credentials.Settings(new() { ["DATA_PROTECTION_KEYS_DIR"] = keys });
        string cookie, storefront;
        await using (var first = new PaymentsApp(database, settings))
        {
            using var client = first.Client();
            var signIn = await client.SubmitForm("/admin/sign-in", "/admin/sign-in", ("credential", Credentials.AdminKey));
            cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AdminSession.CookieName, StringComparison.Ordinal)).Split(';')[0];
            using var customer = first.Client();
            var page = await customer.GetAsync("/");
            storefront = await page.Content.ReadAsStringAsync();
            cookie += "; " + page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("payments_csrf", StringComparison.Ordinal)).Split(';')[0];
        }
        Assert.NotEmpty(Directory.GetFiles(keys, "key-*.xml"));

        await using var second = new PaymentsApp(database, settings);
        using var browser = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = second.BaseAddress };
        var dashboard = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/admin") { Headers = { { "Cookie", cookie } } });
        var checkout = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/payments/checkout")
        {
            Headers = { { "Cookie", cookie } },
            Content = Forms.FormWith(Forms.Token(storefront), ("plan", "basic")),
        });

        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, checkout.StatusCode);
        Directory.Delete(keys, recursive: true);
    }
}
