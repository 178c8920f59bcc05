using Payments.Core.Providers;
using System.Diagnostics;
using Payments.Providers;
using Payments.Providers.Dummy;
using Payments.Providers.Tests.Dummy;
using Microsoft.Extensions.Configuration;

using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Hosting;

/// <summary>Configuration mistakes stop the real process before it listens, with a line that names the setting.</summary>
public class StartupTests
{
    /// <summary>Runs the built server (the same Payments.Server.dll the README command runs) with only these settings.</summary>
    internal static async Task<(int ExitCode, string StdErr)> RunServer(Dictionary<string, string> environment)
    {
        var dir = Directory.CreateTempSubdirectory("payments-start-").FullName;
        var settings = new Dictionary<string, string?> { ["SQLITE_PATH"] = Path.Combine(dir, "p.db"), ["ASPNETCORE_URLS"] = "http://127.0.0.1:0" };
        foreach (var (k, v) in environment) settings[k] = v;
        var start = ServerProcess.StartInfo(settings);

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(); // gone before its folder is removed below
            throw new Xunit.Sdk.XunitException("The server kept running although its configuration is broken.");
        }
        finally
        {
            // Best effort: a failure to tidy a temporary folder must not hide the test's own failure.
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
        return (process.ExitCode, await stderr);
    }

    [Theory]
    [InlineData("DATABASE_URL", "notaurl", "DATABASE_URL is neither a postgres://")]
    [InlineData("SQLITE_PATH", "/proc/no-such-folder/payments.db", "SQLITE_PATH=/proc/no-such-folder/payments.db: the database file cannot be created")]
    [InlineData("DATABASE_URL", "postgres://u:p@127.0.0.1:1/db", "PostgreSQL at 127.0.0.1:1/db (DATABASE_URL) did not answer within 1 s")]
    [InlineData("ASPNETCORE_URLS", "notaurl", "cannot listen on notaurl (ASPNETCORE_URLS)")]
    [InlineData("TRUSTED_PROXIES", "10.0.0.0/8, proxy.local", "TRUSTED_PROXIES: 'proxy.local' is neither an IP address nor a CIDR network")]
    [InlineData("METRICS_URLS", "http://127.0.0.1", "METRICS_URLS='http://127.0.0.1' must be http URLs with a port")]
    public async Task Infrastructure_that_cannot_work_stops_start_up_with_one_line_naming_the_setting(string name, string value, string line)
    {
        var (code, stderr) = await RunServer(new() { [name] = value, ["DATABASE_CONNECT_TIMEOUT_SECONDS"] = "1" });
        Assert.Equal(1, code);
        Assert.Contains("payments: cannot start: " + line, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task A_port_in_use_stops_start_up_with_one_line()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)taken.LocalEndpoint).Port}";
        var (code, stderr) = await RunServer(new() { ["ASPNETCORE_URLS"] = url });
        Assert.Equal(1, code);
        Assert.Contains($"payments: cannot start: cannot listen on {url} (ASPNETCORE_URLS): Address already in use", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task An_unknown_default_provider_stops_start_up_naming_PAYMENT_PROVIDER()
    {
        var (code, stderr) = await RunServer(new() { ["PAYMENT_PROVIDER"] = "nosuch" });
        Assert.Equal(1, code);
        Assert.Contains("PAYMENT_PROVIDER='nosuch'", stderr);
        Assert.DoesNotContain("   at ", stderr); // one clear line, no stack trace
    }

    [Fact]
    public async Task A_switched_off_default_provider_stops_start_up()
    {
        var (code, stderr) = await RunServer(new() { ["DUMMY_PROVIDER_ENABLED"] = "false" });
        Assert.Equal(1, code);
        Assert.Contains("PAYMENT_PROVIDER='dummy' names a provider that is switched off", stderr);
    }

    [Theory]
    [InlineData("Plans__basic__Price", "19.001 EUR", "Plans:basic:Price")]
    [InlineData("DATABASE_URL", "mysql://x@y/z", "DATABASE_URL")]
    [InlineData("SITE_BASE_URL", "not a url", "SITE_BASE_URL")]
    [InlineData("CHECKOUT_EXPIRES_MINUTES", "5", "CHECKOUT_EXPIRES_MINUTES")]
    [InlineData("JWT_SECRET_KEY", "too-short", "JWT_SECRET_KEY")]
    [InlineData("JWT_ALGORITHM", "RS256", "JWT_ALGORITHM")]
    [InlineData("ADMIN_API_KEY", "short", "ADMIN_API_KEY")]
    [InlineData("RATE_LIMIT_VERIFY_PER_MINUTE", "lots", "RATE_LIMIT_VERIFY_PER_MINUTE")]
    [InlineData("RATE_LIMITS_ENABLED", "maybe", "RATE_LIMITS_ENABLED")]
    public async Task Other_bad_settings_stop_start_up_naming_them(string key, string value, string named)
    {
        var (code, stderr) = await RunServer(new() { [key] = value });
        Assert.Equal(1, code);
        Assert.Contains(named, stderr);
    }

    /// <summary>The registry's rule for providers with credentials, with a stand-in provider that needs two settings.</summary>
    [Fact]
    public void An_enabled_provider_missing_a_secret_is_refused_by_name()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PAYMENT_PROVIDER"] = "fake",
        }).Build();
        var fake = new NeedsSecrets(enabled: false, missing: ["FAKE_SECRET_KEY", "FAKE_WEBHOOK_SECRET"]);
        var dummy = new DummyProvider(new DummyOptions(), new InMemoryDummyCheckoutStore(), TimeProvider.System);

        var error = Assert.Throws<InvalidOperationException>(() => new ProviderRegistry([dummy, fake], config));
        Assert.Contains("fake needs FAKE_SECRET_KEY, FAKE_WEBHOOK_SECRET (it is PAYMENT_PROVIDER)", error.Message);

        var halfConfigured = new NeedsSecrets(enabled: true, missing: ["FAKE_WEBHOOK_SECRET"]);
        var dummyDefault = new ConfigurationBuilder().Build();
        error = Assert.Throws<InvalidOperationException>(() => new ProviderRegistry([dummy, halfConfigured], dummyDefault));
        Assert.Contains("fake needs FAKE_WEBHOOK_SECRET", error.Message);
    }

    private sealed class NeedsSecrets(bool enabled, IReadOnlyList<string> missing) : IProvider
    {
        public ProviderDescriptor Descriptor { get; } =
            new() { Name = "fake", DisplayName = "Fake", IsEnabled = enabled, MissingSettings = missing, OwnsPaymentId = _ => false };
    }
}
