using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Payments.Server.Tests.Support;

/// <summary>
/// The built service as a real process (the Payments.Server.dll the README's run command runs, not
/// built again), for tests that need what WebApplicationFactory cannot give: start-up failures,
/// <c>kill -9</c>, the README's own commands.
/// </summary>
public static class ServerProcess
{
    private static readonly string[] ServiceSettingPrefixes =
    [
        "PAYMENT", "STRIPE", "PAYPAL", "OMISE", "MOBILEPAY", "DUMMY", "DATABASE_", "TEST_DATABASE", "SQLITE", "JWT_", "ADMIN_", "RATE_LIMIT",
        "RECONCILE_", "SITE_", "CHECKOUT_", "MERCHANT_", "RECEIPT", "PDF_ENGINE", "DATA_PROTECTION", "CREDITS_", "OUTBOX_",
        "WEBHOOK_", "IDEMPOTENCY_", "ALLOWED_REDIRECT", "TRUSTED_PROXIES", "METRICS_", "OTEL_", "Plans__", "CreditPackages__", "ASPNETCORE_", "DOTNET_ENVIRONMENT",
        "CATALOG_", "Catalog__", "VatRates__", "VIES_", "BILLING_", "SMTP_", "MAIL_",
    ];

    /// <summary>
    /// How to start it with exactly <paramref name="settings"/>: none of this machine's settings of the
    /// service (providers, database, auth, limits…) leak in; the platform's (PATH, HOME, DOTNET_*,
    /// CHROMIUM_PATH) stay. Output is redirected; the working directory is the content root.
    /// </summary>
    public static ProcessStartInfo StartInfo(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Payments.Server.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var key in start.Environment.Keys.Where(IsServiceSetting).ToList()) start.Environment.Remove(key);
        foreach (var (key, value) in settings) start.Environment[key] = value;
        return start;
    }

    public static bool IsServiceSetting(string key) =>
        ServiceSettingPrefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
