using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Payments.Bench.LoadGen;

/// <summary>A fresh, empty database for one run (a new SQLite file, or a new PostgreSQL database), removed afterwards.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string? _adminConnection;
    private readonly string? _name;

    private BenchDatabase(Engine engine, IReadOnlyDictionary<string, string> serverSettings, string connectionString, string? admin, string? name)
    {
        Engine = engine;
        ServerSettings = serverSettings;
        ConnectionString = connectionString;
        _adminConnection = admin;
        _name = name;
    }

    public Engine Engine { get; }

    /// <summary>What points the server at it: SQLITE_PATH or DATABASE_URL.</summary>
    public IReadOnlyDictionary<string, string> ServerSettings { get; }

    /// <summary>For the exactly-once checks, which read the tables directly.</summary>
    public string ConnectionString { get; }

    /// <param name="suffix">Added to the PostgreSQL database's name (the Node.js peer's own database is "…_node").</param>
    public static async Task<BenchDatabase> CreateAsync(BenchSettings settings, CancellationToken ct, string suffix = "")
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        if (settings.Engine == Engine.Sqlite)
        {
            SQLitePCL.Batteries_V2.Init();
            var path = Path.Combine(settings.WorkDir, $"payments-{stamp}.db");
            return new BenchDatabase(Engine.Sqlite, new Dictionary<string, string> { ["SQLITE_PATH"] = path },
                new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString, null, null);
        }

        var url = settings.PostgresUrl ?? throw new ArgumentException("--pg-url is required for --engine postgres");
        var server = new UriBuilder(url);
        var admin = ToNpgsql(server.Uri);
        var name = $"bench_{stamp}_{Guid.NewGuid().ToString("N")[..6]}{suffix}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
        var database = new UriBuilder(server.Uri) { Path = "/" + name };
        return new BenchDatabase(Engine.Postgres, new Dictionary<string, string> { ["DATABASE_URL"] = database.Uri.ToString() },
            ToNpgsql(database.Uri), admin, name);
    }

    public DbConnection Open()
    {
        DbConnection connection = Engine == Engine.Sqlite ? new SqliteConnection(ConnectionString) : new NpgsqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_adminConnection is null)
        {
            var path = new SqliteConnectionStringBuilder(ConnectionString).DataSource;
            foreach (var suffix in new[] { "", "-wal", "-shm" })
                if (File.Exists(path + suffix)) File.Delete(path + suffix);
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnection);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>postgres://user:password@host:port/db → an Npgsql connection string.</summary>
    private static string ToNpgsql(Uri url)
    {
        var userInfo = url.UserInfo.Split(':', 2);
        return new NpgsqlConnectionStringBuilder
        {
            Host = url.Host,
            Port = url.IsDefaultPort || url.Port <= 0 ? 5432 : url.Port,
            Username = Uri.UnescapeDataString(userInfo[0]),
            Password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : null,
            Database = url.AbsolutePath.Trim('/') is { Length: > 0 } db ? db : "postgres",
            Pooling = false,
        }.ConnectionString;
    }
}
