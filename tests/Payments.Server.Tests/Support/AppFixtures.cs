using Payments.Server.Data;

namespace Payments.Server.Tests.Support;

/// <summary>One running service + database shared by the tests of a class; tests use their own payments.</summary>
/// <remarks>
/// A fixture is written once per feature (settings, services, fakes) and run on each engine through
/// two one-line subclasses: <c>class SqliteFooApp() : FooApp(DatabaseKind.Sqlite);</c>.
/// </remarks>
public abstract class AppFixture(DatabaseKind engine) : IAsyncLifetime
{
    private PaymentsApp? _app;
    private string? _unavailable;

    public DatabaseKind Engine => engine;

    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected virtual void ConfigureServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services) { }

    /// <summary>The running service; skips the test when its database is not available and not required.</summary>
    public PaymentsApp App => _app ?? throw SkipException(_unavailable!);

    public async ValueTask InitializeAsync()
    {
        var database = engine == DatabaseKind.Sqlite ? new SqliteTestDatabase() : await PostgresDatabaseAsync();
        if (database is null)
        {
            _unavailable = "PostgreSQL tests need TEST_DATABASE_URL (./scripts/test.sh sets it).";
            return;
        }
        _app = new PaymentsApp(database, Settings, ConfigureServices);
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        await _app.DisposeAsync();
        await _app.Database.DisposeAsync();
    }

    private static Exception SkipException(string why)
    {
        Assert.Skip(why);
        return new InvalidOperationException(why);
    }

    private static async Task<ITestDatabase?> PostgresDatabaseAsync()
    {
        if (PostgresTestDatabase.ServerUrl is null)
            return PostgresTestDatabase.Required
                ? throw new InvalidOperationException("PAYMENTS_TEST_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set.")
                : null;
        return await PostgresTestDatabase.CreateAsync();
    }
}

public class SqliteApp() : AppFixture(DatabaseKind.Sqlite);

public class PostgresApp() : AppFixture(DatabaseKind.Postgres);
