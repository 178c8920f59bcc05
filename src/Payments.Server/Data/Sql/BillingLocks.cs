using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Payments.Server.Data.Sql;

/// <summary>
/// One turn at a time per key, across nodes: what is done for one customer (their billing information, its VIES
/// check, telling providers; later their subscription events) runs one after the other, so an older version can
/// never be pushed after a newer one. On PostgreSQL a transaction-scoped advisory lock on a connection of its own
/// (held while providers are called, and released by ending that transaction, also when a node dies); on SQLite,
/// whose database serves one process, a semaphore in that process (striped, so the set of locks stays bounded).
/// </summary>
public sealed class BillingLocks(IServiceScopeFactory scopes, DatabaseChoice database)
{
    /// <summary>The advisory-lock space of billing (PostgreSQL's two-part keys; other features use one-part keys).</summary>
    public const int Space = 7_246_015;

    private static readonly SemaphoreSlim[] Stripes = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>Waits for <paramref name="key"/>'s turn; dispose the result to end it.</summary>
    public async Task<IAsyncDisposable> AcquireAsync(string key, CancellationToken ct)
    {
        var hash = Hash(key);
        if (database.Kind == DatabaseKind.Sqlite)
        {
            var stripe = Stripes[(uint)hash % Stripes.Length];
            await stripe.WaitAsync(ct);
            return new Releaser(() =>
            {
                stripe.Release();
                return ValueTask.CompletedTask;
            });
        }

        var scope = scopes.CreateAsyncScope();
        try
        {
            var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
            var transaction = await db.Database.BeginTransactionAsync(ct);
#pragma warning disable EF1002 // two integers of ours, not input
            await db.Database.ExecuteSqlRawAsync(SqlDialect.Postgres.LockSql(Space, hash)!, ct);
#pragma warning restore EF1002
            return new Releaser(async () =>
            {
                await transaction.DisposeAsync(); // rolls back: the lock was all it held
                await scope.DisposeAsync();
            });
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    /// <summary>A stable 32-bit key (the same on every node and after restarts, unlike string.GetHashCode).</summary>
    internal static int Hash(string key) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0);

    private sealed class Releaser(Func<ValueTask> release) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync() => Interlocked.Exchange(ref _released, 1) == 0 ? release() : ValueTask.CompletedTask;
    }
}
