using Microsoft.Data.Sqlite;
using Npgsql;
using Payments.Server.Data;

namespace Payments.Server.Tests.Support;

/// <summary>A database that exists for one fixture and is removed afterwards.</summary>
public interface ITestDatabase : IAsyncDisposable
{
    DatabaseKind Kind { get; }

    /// <summary>Settings that point the service at it (DATABASE_URL or SQLITE_PATH).</summary>
    IReadOnlyDictionary<string, string?> Settings { get; }
}

public sealed class SqliteTestDatabase : ITestDatabase
{
    private readonly string _dir = Directory.CreateTempSubdirectory("payments-test-").FullName;

    public DatabaseKind Kind => DatabaseKind.Sqlite;
    public string Path => System.IO.Path.Combine(_dir, "payments.db");
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["SQLITE_PATH"] = Path };

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { /* a straggling handle; temp dir */ }
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A fresh database on the PostgreSQL server named by <c>TEST_DATABASE_URL</c> (the README's test
/// command starts one). Without it the PostgreSQL tests are skipped when run by hand, and fail when
/// <c>PAYMENTS_TEST_REQUIRE_POSTGRES=1</c> (as the test command sets), so CI can never skip them silently.
/// </summary>
public sealed class PostgresTestDatabase : ITestDatabase
{
    private readonly string _admin;
    private readonly string _name;

    private PostgresTestDatabase(string admin, string name, string url)
    {
        _admin = admin;
        _name = name;
        Url = url;
    }

    public DatabaseKind Kind => DatabaseKind.Postgres;
    public string Url { get; }
    public string ConnectionString => DatabaseUrl.ToNpgsql(Url);
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["DATABASE_URL"] = Url };

    public static string? ServerUrl => Environment.GetEnvironmentVariable("TEST_DATABASE_URL") is { Length: > 0 } url ? url : null;

    public static bool Required => Environment.GetEnvironmentVariable("PAYMENTS_TEST_REQUIRE_POSTGRES") == "1";

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var server = ServerUrl ?? throw new InvalidOperationException("TEST_DATABASE_URL is not set; run ./scripts/test.sh.");
        var admin = DatabaseUrl.ToNpgsql(server);
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var uri = new UriBuilder(server) { Path = "/" + name };
        return new PostgresTestDatabase(admin, name, uri.Uri.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
