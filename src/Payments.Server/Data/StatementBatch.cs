using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Payments.Server.Data;

/// <summary>One statement of a <see cref="StatementBatch"/>: SQL with <c>$1, $2, …</c> and its typed arguments.</summary>
public readonly record struct Arg(object? Value, DbType Type)
{
    public static Arg Text(string? value) => new(value, DbType.String);

    public static Arg Long(long value) => new(value, DbType.Int64);

    /// <summary>An instant as the EF model stores it: timestamptz on PostgreSQL, UTC ticks on SQLite.</summary>
    public static Arg Time(DateTimeOffset? value, DatabaseKind kind) => kind == DatabaseKind.Postgres
        ? new Arg(value?.ToUniversalTime(), DbType.DateTimeOffset)
        : new Arg(value?.UtcTicks, DbType.Int64);
}

/// <summary>
/// Statements sent together inside the caller's transaction. On PostgreSQL they travel as one
/// <see cref="NpgsqlBatch"/> (one round trip); SQLite is in process, so they simply run in order.
/// Either way the first failing statement stops the rest, and the caller learns which one
/// (by the <c>owner</c> it tagged it with) so it can roll back just that owner's savepoint.
/// <para>SQL uses <c>$1…$n</c>: positional on PostgreSQL, parameter names on SQLite.</para>
/// <para>Without a transaction, on PostgreSQL the batch is still atomic: one Sync, so PostgreSQL runs
/// it as one implicit transaction and commits it before it answers.</para>
/// </summary>
public sealed class StatementBatch(DbConnection connection, DbTransaction? transaction, DatabaseKind kind)
{
    private readonly List<(int Owner, string Sql, Arg[] Args)> _statements = [];

    /// <summary>How many times queued statements were sent (round trips on PostgreSQL); for tests.</summary>
    public int Sends { get; private set; }

    public void Add(int owner, string sql, params Arg[] args) => _statements.Add((owner, sql, args));

    /// <summary>Runs everything queued; null on success, else the owner of the failing statement and its error. Clears the queue.</summary>
    public async Task<(int Owner, DbException Error)?> ExecuteAsync(CancellationToken ct)
    {
        if (_statements.Count > 0) Sends++;
        try
        {
            return kind == DatabaseKind.Postgres ? await ExecutePostgresAsync(ct) : await ExecuteSqliteAsync(ct);
        }
        finally
        {
            _statements.Clear();
        }
    }

    /// <summary>One statement on its own, outside any batching (savepoint control, lookups).</summary>
    public static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<(int, DbException)?> ExecutePostgresAsync(CancellationToken ct)
    {
        if (_statements.Count == 0) return null;
        await using var batch = new NpgsqlBatch((NpgsqlConnection)connection, (NpgsqlTransaction?)transaction);
        foreach (var (_, sql, args) in _statements)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (var arg in args) command.Parameters.Add(new NpgsqlParameter { DbType = arg.Type, Value = arg.Value ?? DBNull.Value });
            batch.BatchCommands.Add(command);
        }
        try
        {
            // Server-side prepared statements, kept per physical connection: the same few INSERTs,
            // UPDATE and SAVEPOINTs run thousands of times a second, and PostgreSQL then skips parsing
            // and planning them. Only these writes are prepared (no result type a migration could change).
            await batch.PrepareAsync(ct);
            await batch.ExecuteNonQueryAsync(ct);
            return null;
        }
        catch (PostgresException e)
        {
            // PostgreSQL skipped everything after the failing statement (one Sync for the batch). Npgsql
            // 10 does not always fill e.BatchCommand; the failing statement is the first one with no
            // completion tag (StatementType still Unknown).
            var failed = e.BatchCommand is { } command ? batch.BatchCommands.IndexOf(command) : -1;
            for (var i = 0; failed < 0 && i < batch.BatchCommands.Count; i++)
                if (batch.BatchCommands[i].StatementType == Npgsql.StatementType.Unknown) failed = i;
            if (failed < 0) throw;
            return (_statements[failed].Owner, e);
        }
    }

    private async Task<(int, DbException)?> ExecuteSqliteAsync(CancellationToken ct)
    {
        // Repeated statements (one INSERT per event) reuse their prepared command within the batch.
        var prepared = new Dictionary<string, SqliteCommand>(StringComparer.Ordinal);
        try
        {
            foreach (var (owner, sql, args) in _statements)
            {
                if (!prepared.TryGetValue(sql, out var command))
                {
                    command = ((SqliteConnection)connection).CreateCommand();
                    command.Transaction = (SqliteTransaction?)transaction;
                    command.CommandText = sql;
                    prepared[sql] = command;
                }
                BindSqlite(command.Parameters, args);
                try
                {
                    await command.ExecuteNonQueryAsync(ct);
                }
                catch (SqliteException e)
                {
                    return (owner, e);
                }
            }
            return null;
        }
        finally
        {
            foreach (var command in prepared.Values) await command.DisposeAsync();
        }
    }

    /// <summary>"$1" … "$64", built once: the names were a new string for every argument of every statement.</summary>
    private static readonly string[] SqliteNames = Enumerable.Range(1, 64).Select(i => "$" + i).ToArray();

    /// <summary>
    /// A command run again (the same INSERT for the next event) keeps its parameters and only gets new
    /// values: a new SqliteParameter per argument per statement was 13 % of all the bytes a webhook
    /// batch allocated on SQLite (bench/RESULTS.md, step 17). The type is still inferred from each value
    /// at bind time (none is set on these parameters).
    /// </summary>
    private static void BindSqlite(SqliteParameterCollection parameters, Arg[] args)
    {
        if (parameters.Count != args.Length)
        {
            parameters.Clear();
            for (var i = 0; i < args.Length; i++)
                parameters.Add(new SqliteParameter(i < SqliteNames.Length ? SqliteNames[i] : "$" + (i + 1), null));
        }
        for (var i = 0; i < args.Length; i++) parameters[i].Value = args[i].Value ?? DBNull.Value;
    }
}
