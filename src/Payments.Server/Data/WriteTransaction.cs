using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Payments.Server.Data;

/// <summary>
/// A write transaction that also holds this process's write turn on SQLite.
/// <para>
/// SQLite has one writer per file. When two of our transactions collide, Microsoft.Data.Sqlite
/// retries by putting the thread to sleep (150 ms at a time), which on a small machine starves the
/// thread pool and stalls every request. Queuing our own writers on an async gate per database file
/// first means they never collide inside SQLite; on PostgreSQL the gate is not used (row locks do
/// that job, across nodes too).
/// </para>
/// </summary>
public sealed class WriteTransaction : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> SqliteGates = new(StringComparer.Ordinal);
    private readonly IDbContextTransaction _transaction;
    private SemaphoreSlim? _gate;

    private WriteTransaction(IDbContextTransaction transaction, SemaphoreSlim? gate)
    {
        _transaction = transaction;
        _gate = gate;
    }

    public static async Task<WriteTransaction> BeginAsync(PaymentsDb db, CancellationToken ct)
    {
        SemaphoreSlim? gate = null;
        if (db.Database.IsSqlite())
        {
            var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            gate = SqliteGates.GetOrAdd(Path.GetFullPath(file), _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(ct);
        }
        try
        {
            // SQLite: Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE, taking the write lock up front,
            // so a read inside the transaction cannot be overtaken by another writer.
            return new WriteTransaction(await db.Database.BeginTransactionAsync(ct), gate);
        }
        catch
        {
            gate?.Release();
            throw;
        }
    }

    public Task CommitAsync(CancellationToken ct) => _transaction.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        Interlocked.Exchange(ref _gate, null)?.Release();
    }
}

public static class WriteTransactions
{
    /// <summary>Starts a transaction for a change to money state; always <c>await using</c> it.</summary>
    public static Task<WriteTransaction> BeginWriteAsync(this PaymentsDb db, CancellationToken ct) => WriteTransaction.BeginAsync(db, ct);

    /// <summary>One trivial query on a pooled connection: does the database answer?</summary>
    public static Task PingAsync(this PaymentsDb db, CancellationToken ct) => db.Database.ExecuteSqlRawAsync("SELECT 1", ct);

    /// <summary>SaveChanges as one atomic write (for the single-step writes).</summary>
    public static async Task SaveWriteAsync(this PaymentsDb db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite())
        {
            // No gate on PostgreSQL (row locks do that job). A few rows that depend on nothing go out as
            // ONE batch with one Sync, which PostgreSQL runs as one implicit transaction and commits
            // before it answers: all or nothing, durably, in one round trip instead of EF's BEGIN …
            // COMMIT (two). Anything larger, or rows with foreign keys (EF may then need several
            // batches), keeps EF's own transaction.
            var pending = db.ChangeTracker.Entries().Where(e => e.State is not (EntityState.Unchanged or EntityState.Detached)).ToList();
            var oneBatch = pending.Count <= 8 && pending.All(e => !e.Metadata.GetForeignKeys().Any() && !e.Metadata.GetReferencingForeignKeys().Any());
            var before = db.Database.AutoTransactionBehavior;
            if (oneBatch) db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
            try
            {
                await db.SaveChangesAsync(ct);
            }
            finally
            {
                db.Database.AutoTransactionBehavior = before;
            }
            return;
        }
        await using var tx = await db.BeginWriteAsync(ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}

/// <summary>
/// Per connection: makes SQLite itself wait (with its own short, growing sleeps) for a lock held by a
/// writer outside our gate (the migration runner, an operator's CLI, another process) instead of
/// failing at once; and keeps <c>synchronous = FULL</c>, so that in WAL mode every commit is on disk
/// before it returns (NORMAL would only sync at checkpoints: a power cut could lose answered
/// webhooks). Group commit makes that one fsync per batch, not per event. <c>temp_store = MEMORY</c>:
/// SQLite otherwise creates (and at once unlinks) a file under /var/tmp for the statement journal of
/// many INSERTs — an open, unlink and close per write that strace showed on every create-intent.
/// Those journals only ever hold one statement's undo, so memory is the right place for them.
/// </summary>
public sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY";

    /// <summary>
    /// Physical connections already set up. Pooling hands the same native handle out again on every
    /// open; running the pragmas on each logical open cost ~250 µs of CPU per request (measured on
    /// /healthz: 620 → 370 µs), so they run once per handle.
    /// </summary>
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Prepared = new();

    private static bool IsNew(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && Prepared.TryAdd(handle, Prepared);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!IsNew(connection)) return;
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch
        {
            Prepared.Remove(((SqliteConnection)connection).Handle!);
            throw;
        }
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!IsNew(connection)) return;
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }
        catch
        {
            Prepared.Remove(((SqliteConnection)connection).Handle!);
            throw;
        }
    }
}
