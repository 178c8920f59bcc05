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
        // Created owner-only before SQLite opens it (its -wal and -shm files then take the same mode).
        Hosting.OwnerOnly.CreateDirectory(Path.GetDirectoryName(path)!);
        Hosting.OwnerOnly.CreateFile(path);
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
}
