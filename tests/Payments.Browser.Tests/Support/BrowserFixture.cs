using OpenQA.Selenium.Chrome;
using Payments.Server.Tests.Support;

namespace Payments.Browser.Tests.Support;

/// <summary>
/// One running service (SQLite, JWT and ADMIN_API_KEY configured) and one headless Chromium, shared
/// by every browser test: starting a browser costs seconds on a small machine, and the tests run
/// one after another in one collection anyway. Each test starts from no cookies.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private readonly string _profile = Directory.CreateTempSubdirectory("payments-chromium-").FullName;
    private PaymentsApp? _app;
    private ChromeDriver? _driver;

    public PaymentsApp App => _app ?? throw new InvalidOperationException("Not started.");
    public ChromeDriver Driver => _driver ?? throw new InvalidOperationException("Not started.");

    public ValueTask InitializeAsync()
    {
        _app = new PaymentsApp(new SqliteTestDatabase(), Credentials.Settings());
        _driver = Chromium.Start(_profile);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        try { _driver?.Quit(); } finally { _driver?.Dispose(); }
        if (_app is not null)
        {
            await _app.DisposeAsync();
            await _app.Database.DisposeAsync();
        }
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { /* Chromium may still hold a file for a moment */ }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
