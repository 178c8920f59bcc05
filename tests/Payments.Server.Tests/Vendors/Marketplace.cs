using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Vendors;

/// <summary>Vendors, their people's tokens and keys, and onboarding on the dummy, as the tests use them.</summary>
public static class Marketplace
{
    /// <summary>A vendor person's token as the host application signs it: role vendor and the vendor it acts for.</summary>
    public static string VendorJwt(string sub, string? vendorId, string role = "vendor", params (string Type, string Value)[] extra)
    {
        var now = DateTime.UtcNow;
        var claims = new List<Claim> { new("sub", sub), new("role", role) };
        if (vendorId is not null) claims.Add(new Claim("vendor_id", vendorId));
        claims.AddRange(extra.Select(c => new Claim(c.Type, c.Value)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims), IssuedAt = now, NotBefore = now, Expires = now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Credentials.JwtSecret)), SecurityAlgorithms.HmacSha256),
        });
    }

    public static async Task<string> CreateVendor(PaymentsApp app, string name = "Vera's Vases", string currency = "EUR", int? feeBps = null)
    {
        using var admin = app.Client().As(Credentials.AdminKey);
        var response = await admin.PostJson("/api/v1/vendors", new { name, email = "vera@example.com", country = "DE", currency, platform_fee_bps = feeBps });
        Assert.Equal(201, (int)response.StatusCode);
        return (await response.Body()).Str("vendor_id");
    }

    /// <summary>Sets the vendor's account up at the dummy and completes (or restricts) onboarding on its page.</summary>
    public static async Task<string> OnboardOnDummy(PaymentsApp app, string vendorId, string outcome = "completed")
    {
        using var vendor = app.Client().As(VendorJwt("vera", vendorId));
        var setup = await vendor.PostJson("/api/v1/vendor/payments/setup", new { });
        Assert.Equal(200, (int)setup.StatusCode);
        var body = await setup.Body();
        var link = new Uri(body.Str("onboarding_url"));
        using var page = app.Client();
        Assert.Equal(200, (int)(await page.GetAsync(link.PathAndQuery)).StatusCode);
        var done = await page.PostAsync(link.PathAndQuery, new FormUrlEncodedContent([new("outcome", outcome)]));
        Assert.Equal(303, (int)done.StatusCode);
        return body.Str("account_id");
    }

    public static async Task<(string Id, string Secret)> ServiceKey(PaymentsApp app) => await Credentials.CreateKey(app, "service", "shop backend");

    public static async Task<(string Id, string Secret)> VendorKey(PaymentsApp app, string vendorId)
    {
        using var admin = app.Client().As(Credentials.AdminKey);
        var response = await admin.PostJson("/api/v1/admin/api-keys", new { name = "vendor key", role = "vendor", vendor_id = vendorId });
        Assert.Equal(201, (int)response.StatusCode);
        var body = await response.Body();
        return (body.Str("id"), body.Str("key"));
    }

    public static long Balance(JsonElement balances, string currency) =>
        balances.GetProperty("balances").EnumerateArray().Where(b => b.Str("currency") == currency).Select(b => b.GetProperty("amount").GetInt64()).SingleOrDefault();
}
