using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using Payments.Providers.Common;

namespace Payments.Server.Data;

public enum DatabaseKind { Sqlite, Postgres }

/// <summary>Which database this process uses, decided once from configuration.</summary>
public sealed record DatabaseChoice(DatabaseKind Kind, string ConnectionString)
{
    public static DatabaseChoice From(IConfiguration configuration, IHostEnvironment environment)
    {
        if (configuration.Value("DATABASE_URL") is { } url)
            return new DatabaseChoice(DatabaseKind.Postgres, WithAutoPrepare(DatabaseUrl.ToNpgsql(url)));

        var path = configuration.Value("SQLITE_PATH") ?? Path.Combine("data", "payments.db");
        if (!Path.IsPathRooted(path)) path = Path.Combine(environment.ContentRootPath, path);
        try
        {
            // Created owner-only before SQLite opens it (its -wal and -shm files then take the same mode).
            Hosting.OwnerOnly.CreateDirectory(Path.GetDirectoryName(path)!);
            Hosting.OwnerOnly.CreateFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"SQLITE_PATH={path}: the database file cannot be created or opened there ({e.Message}). " +
                "Name a file in a folder this service may write to.", e);
        }
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            // Writers queue for the lock instead of failing; SQLite has one writer at a time.
            DefaultTimeout = 30,
            Pooling = true,
        };
        return new DatabaseChoice(DatabaseKind.Sqlite, builder.ConnectionString);
    }

    /// <summary>
    /// Npgsql's automatic preparation, unless the connection string says otherwise: a statement run
    /// a few times on a connection is prepared there, so PostgreSQL stops parsing and planning it. The
    /// webhook batch's locking read (a three-way UNION over arrays) and duplicate check are planned for
    /// every batch otherwise, which at low batch sizes was most of PostgreSQL's CPU per webhook.
    /// </summary>
    private static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0 && !connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
            builder.MaxAutoPrepare = 64;
        return builder.ConnectionString;
    }
}

public static class DatabaseSetup
{
    /// <summary>Registers the context; configuration is read when first resolved, so test hosts can override it.</summary>
    public static IServiceCollection AddPaymentsDatabase(this IServiceCollection services)
    {
        services.AddSingleton(sp => DatabaseChoice.From(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>()));
        services.AddDbContextPool<PaymentsDb>((sp, options) =>
        {
            var choice = sp.GetRequiredService<DatabaseChoice>();
            if (choice.Kind == DatabaseKind.Postgres) options.UseNpgsql(choice.ConnectionString);
            else options.UseSqlite(choice.ConnectionString).AddInterceptors(new SqliteBusyTimeout());
            // Interceptors registered in DI (diagnostics, tests that widen race windows) join every context.
            options.AddInterceptors(sp.GetServices<IInterceptor>());
        });
        services.AddScoped<MigrationRunner>();
        return services;
    }

    /// <summary>Applies pending migrations; called once at start, before the server listens.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<MigrationRunner>().MigrateAsync(cancellationToken);
    }

    /// <summary>
    /// Migrates at start, waiting for a PostgreSQL that is not up yet (a node and its database often
    /// start together) for up to <c>DATABASE_CONNECT_TIMEOUT_SECONDS</c> (default 30); after that the
    /// failure is one line naming where the database was looked for.
    /// </summary>
    public static async Task MigrateAtStartAsync(this IServiceProvider services, ILogger log)
    {
        var database = services.GetRequiredService<DatabaseChoice>();
        var configuration = services.GetRequiredService<IConfiguration>();
        var raw = configuration.Value("DATABASE_CONNECT_TIMEOUT_SECONDS");
        var patience = raw is null ? 30 : int.TryParse(raw, out var seconds) && seconds >= 0 ? seconds
            : throw new InvalidOperationException($"DATABASE_CONNECT_TIMEOUT_SECONDS='{raw}' must be a whole number of seconds (0 or more).");
        var deadline = DateTime.UtcNow.AddSeconds(patience);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await services.MigrateDatabaseAsync();
                return;
            }
            catch (NpgsqlException e) when (e.IsTransient || e.InnerException is System.Net.Sockets.SocketException)
            {
                var where = new NpgsqlConnectionStringBuilder(database.ConnectionString) is var b ? $"{b.Host}:{b.Port}/{b.Database}" : "";
                if (DateTime.UtcNow >= deadline)
                    throw new InvalidOperationException(
                        $"PostgreSQL at {where} (DATABASE_URL) did not answer within {patience} s ({e.Message}); " +
                        "check that it runs and the address is right, or raise DATABASE_CONNECT_TIMEOUT_SECONDS.", e);
                if (attempt == 1) log.LogWarning("PostgreSQL at {Where} does not answer yet ({Error}); waiting up to {Seconds} s", where, e.Message, patience);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(2, attempt * 0.25)));
            }
            catch (SqliteException e) when (e.SqliteErrorCode is 14 or 8) // SQLITE_CANTOPEN, SQLITE_READONLY: where the file is, not what is in it
            {
                throw new InvalidOperationException(
                    $"SQLITE_PATH={new SqliteConnectionStringBuilder(database.ConnectionString).DataSource}: {e.Message}", e);
            }
            catch (PostgresException e) when (e.SqlState is "28P01" or "28000" or "3D000")
            {
                // Wrong password, no such role or database: waiting does not help.
                throw new InvalidOperationException($"PostgreSQL refused DATABASE_URL: {e.MessageText} ({e.SqlState}).", e);
            }
        }
    }
}
