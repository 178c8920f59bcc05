using System.Data.Common;
using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace Payments.Server.Data;

/// <summary>
/// Applies the SQL scripts under <c>Data/Migrations/&lt;sqlite|postgres&gt;/</c> in name order, each in
/// its own transaction together with its row in <c>schema_migrations</c>.
/// <para>
/// Why not EF migrations: generating them needs Microsoft.EntityFrameworkCore.Design, which does not
/// restore from this project's package registry, and one EF migration set cannot serve two providers
/// without hand-editing anyway. Plain SQL per engine is reviewable and exact (partial indexes,
/// CHECK constraints). A test checks every EF-mapped column exists on both engines.
/// </para>
/// Several nodes may start at once: PostgreSQL takes an advisory lock, SQLite a write lock
/// (BEGIN IMMEDIATE), so exactly one applies each script.
/// </summary>
public sealed class MigrationRunner(PaymentsDb db, DatabaseChoice database, ILogger<MigrationRunner> log)
{
    private const long AdvisoryLockKey = 7_246_001_001;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var engine = database.Kind == DatabaseKind.Postgres ? "postgres" : "sqlite";
        var scripts = Scripts(engine);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        try
        {
            if (database.Kind == DatabaseKind.Postgres)
                await ExecAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
            else
                await ExecAsync(connection, null, "PRAGMA journal_mode=WAL", cancellationToken);

            await ExecAsync(connection, null,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY NOT NULL, applied_at TEXT NOT NULL)",
                cancellationToken);

            foreach (var (version, sql) in scripts)
            {
                await using var tx = await connection.BeginTransactionAsync(cancellationToken);
                if (await IsAppliedAsync(connection, tx, version, cancellationToken))
                {
                    await tx.RollbackAsync(cancellationToken);
                    continue;
                }
                await ExecAsync(connection, tx, sql, cancellationToken);
                await using (var record = connection.CreateCommand())
                {
                    record.Transaction = tx;
                    record.CommandText = "INSERT INTO schema_migrations (version, applied_at) VALUES (@v, @at)";
                    AddParameter(record, "@v", version);
                    AddParameter(record, "@at", DateTimeOffset.UtcNow.ToString("O"));
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }
                await tx.CommitAsync(cancellationToken);
                log.LogInformation("Applied migration {Version} ({Engine})", version, engine);
            }

            if (database.Kind == DatabaseKind.Postgres)
                await ExecAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", cancellationToken);
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    /// <summary>Embedded scripts for one engine, ordered by file name (0001_…, 0002_…).</summary>
    internal static IReadOnlyList<(string Version, string Sql)> Scripts(string engine)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var prefix = $"migrations/{engine}/";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (Path.GetFileNameWithoutExtension(n), reader.ReadToEnd());
            })
            .ToList();
    }

    private static async Task<bool> IsAppliedAsync(DbConnection connection, DbTransaction tx, string version, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE version = @v";
        AddParameter(command, "@v", version);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct)) > 0;
    }

    private static async Task ExecAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.CommandTimeout = 300;
        await command.ExecuteNonQueryAsync(ct);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}
