using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Payments.Server.Data.Sql;

/// <summary>
/// Everything that differs between the two engines, in one object per engine (the way Npgsql and
/// Microsoft.Data.Sqlite split their own providers): row locks, how an instant is stored, how a list
/// of keys travels as one parameter, whether a batch can carry its COMMIT, and how several writes
/// become one statement. The statements themselves live beside it under <c>Data/Sql/</c>; no feature
/// asks which engine it runs on.
/// </summary>
public abstract partial class SqlDialect
{
    public static readonly SqlDialect Postgres = new PostgresDialect();
    public static readonly SqlDialect Sqlite = new SqliteDialect();

    public static SqlDialect For(DatabaseKind kind) => kind == DatabaseKind.Postgres ? Postgres : Sqlite;

    public static SqlDialect Of(DbContext db) => db.Database.IsNpgsql() ? Postgres : Sqlite;

    public abstract DatabaseKind Kind { get; }

    /// <summary>
    /// Appended to a locking read: <c> FOR UPDATE</c> on PostgreSQL; nothing on SQLite, whose write
    /// transactions (BEGIN IMMEDIATE) already hold the only write lock.
    /// </summary>
    public abstract string RowLock { get; }

    /// <summary>
    /// Appended to a read that claims work several nodes compete for: <c> FOR UPDATE SKIP LOCKED</c> on
    /// PostgreSQL (each node takes rows no other is holding); nothing on SQLite (one writer).
    /// </summary>
    public abstract string SkipLocked { get; }

    /// <summary>
    /// A query answering whether this transaction got an exclusive turn (column "Value"), or null when
    /// the engine's write transaction is exclusive already (SQLite).
    /// </summary>
    public abstract string? TryLockSql(long key);

    /// <summary>
    /// A statement that waits for an exclusive turn on (<paramref name="space"/>, <paramref name="key"/>) until this
    /// transaction ends, across nodes; null when the engine's write transaction is exclusive already (SQLite).
    /// The two-part key keeps each feature's locks apart from the others' one-part keys.
    /// </summary>
    public abstract string? LockSql(int space, int key);

    /// <summary>The literal false as the schema stores it (boolean on PostgreSQL, 0 on SQLite), for partial-index predicates.</summary>
    public abstract string False { get; }

    /// <summary>An instant as the EF model stores it: timestamptz on PostgreSQL, UTC ticks on SQLite.</summary>
    public Arg Time(DateTimeOffset? value) => Arg.Time(value, Kind);

    /// <summary>The same as a plain parameter value (EF's raw SQL).</summary>
    public abstract object TimeValue(DateTimeOffset value);

    /// <summary>
    /// True when a batch of writes can end with its own COMMIT in the same round trip (PostgreSQL
    /// answers it once the WAL is flushed; a failing statement before it makes the server skip it).
    /// </summary>
    public abstract bool CommitsInBatch { get; }

    /// <summary>
    /// How many webhook batches may be written at once: SQLite has one writer per file; on
    /// PostgreSQL a second batch executes while the first waits for its commit to reach the disk.
    /// </summary>
    public abstract int ConcurrentBatchWriters { get; }

    /// <summary>
    /// Several data-modifying statements, each numbering its placeholders from <c>$1</c>, as what is
    /// sent: on PostgreSQL ONE statement (data-modifying CTEs, all of which run; it fails or succeeds
    /// as a whole); on SQLite (no data-modifying CTEs, and in process) the statements in order, each
    /// renumbered to bind the whole argument list by name.
    /// </summary>
    /// <remarks>Composed once per shape: callers pass the same (cached) SQL texts, so the key compares by reference first.</remarks>
    public string[] Chain(IReadOnlyList<(string Sql, int Args)> statements) =>
        _chains.GetOrAdd(new ChainKey(statements), static (key, dialect) => dialect.Compose(key.Statements), this);

    private readonly ConcurrentDictionary<ChainKey, string[]> _chains = new();

    private sealed class ChainKey(IReadOnlyList<(string Sql, int Args)> statements) : IEquatable<ChainKey>
    {
        public IReadOnlyList<(string Sql, int Args)> Statements { get; } = statements;

        public bool Equals(ChainKey? other)
        {
            if (other is null || other.Statements.Count != Statements.Count) return false;
            for (var i = 0; i < Statements.Count; i++)
                if (Statements[i].Args != other.Statements[i].Args || !string.Equals(Statements[i].Sql, other.Statements[i].Sql, StringComparison.Ordinal))
                    return false;
            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as ChainKey);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var (sql, args) in Statements)
            {
                hash.Add(sql.Length);
                hash.Add(args);
            }
            return hash.ToHashCode();
        }
    }

    private string[] Compose(IReadOnlyList<(string Sql, int Args)> statements)
    {
        var renumbered = new string[statements.Count];
        var before = 0;
        for (var i = 0; i < statements.Count; i++)
        {
            var offset = before;
            renumbered[i] = Placeholder().Replace(statements[i].Sql, m => "$" + (int.Parse(m.Groups[1].ValueSpan) + offset));
            before += statements[i].Args;
        }
        if (Kind != DatabaseKind.Postgres || renumbered.Length == 1) return renumbered;
        var ctes = string.Join(", ", renumbered[..^1].Select((sql, i) => $"s{i} AS ({sql})"));
        return [$"WITH {ctes} {renumbered[^1]}"];
    }

    [GeneratedRegex(@"\$(\d+)")]
    private static partial Regex Placeholder();

    /// <summary>(provider, event id) pairs already recorded: a query with one parameter.</summary>
    public abstract (string Sql, DbParameter[] Parameters) SeenEvents(IReadOnlyList<(string Provider, string EventId)> keys);

    /// <summary>
    /// Every payment matching our ids, (provider, provider payment id) or (provider, reference) pairs,
    /// locked, in id order (so two nodes' batches take their locks in one order and cannot deadlock).
    /// Starts "SELECT * FROM payments", like every locking read of a payment (tests that widen race
    /// windows recognise them by it).
    /// </summary>
    public abstract (string Sql, object[] Parameters) LockPayments(
        IReadOnlyList<string> ids, IReadOnlyList<(string, string)> byProviderId, IReadOnlyList<(string, string)> byReference);

    protected static string Pairs(IEnumerable<(string, string)> pairs) =>
        JsonSerializer.Serialize(pairs.Select(p => new[] { p.Item1, p.Item2 }));

    private sealed class PostgresDialect : SqlDialect
    {
        private const string Seen =
            "SELECT provider, external_event_id FROM payment_events WHERE (provider, external_event_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))";

        // Each branch uses an index.
        private const string Lock =
            "SELECT * FROM payments WHERE id IN (SELECT unnest(@ids) " +
            "UNION SELECT p.id FROM payments p JOIN unnest(@pp, @pk) AS k(provider, ref) ON p.provider = k.provider AND p.provider_payment_id = k.ref " +
            "UNION SELECT p.id FROM payments p JOIN unnest(@rp, @rk) AS k(provider, ref) ON p.provider = k.provider AND p.provider_reference = k.ref) " +
            "ORDER BY id FOR UPDATE";

        public override DatabaseKind Kind => DatabaseKind.Postgres;
        public override string RowLock => " FOR UPDATE";
        public override string SkipLocked => " FOR UPDATE SKIP LOCKED";
        public override string False => "false";
        public override string? TryLockSql(long key) => $"SELECT pg_try_advisory_xact_lock({key}) AS \"Value\"";
        public override string? LockSql(int space, int key) => $"SELECT pg_advisory_xact_lock({space}, {key})";
        public override object TimeValue(DateTimeOffset value) => value.ToUniversalTime();
        public override bool CommitsInBatch => true;
        public override int ConcurrentBatchWriters => 2;

        public override (string Sql, DbParameter[] Parameters) SeenEvents(IReadOnlyList<(string Provider, string EventId)> keys) =>
            (Seen, [TextArray(null, keys.Select(k => k.Provider)), TextArray(null, keys.Select(k => k.EventId))]);

        public override (string Sql, object[] Parameters) LockPayments(
            IReadOnlyList<string> ids, IReadOnlyList<(string, string)> byProviderId, IReadOnlyList<(string, string)> byReference) =>
            (Lock,
            [
                TextArray("ids", ids),
                TextArray("pp", byProviderId.Select(k => k.Item1)), TextArray("pk", byProviderId.Select(k => k.Item2)),
                TextArray("rp", byReference.Select(k => k.Item1)), TextArray("rk", byReference.Select(k => k.Item2)),
            ]);

        private static NpgsqlParameter TextArray(string? name, IEnumerable<string> values) =>
            new() { ParameterName = name ?? "", NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = values.ToArray() };
    }

    private sealed class SqliteDialect : SqlDialect
    {
        private const string Seen =
            "SELECT provider, external_event_id FROM payment_events " +
            "WHERE (provider, external_event_id) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each($1))";

        private const string Lock =
            "SELECT * FROM payments WHERE id IN (SELECT value FROM json_each(@ids) " +
            "UNION SELECT p.id FROM json_each(@pk) k JOIN payments p ON p.provider = json_extract(k.value, '$[0]') AND p.provider_payment_id = json_extract(k.value, '$[1]') " +
            "UNION SELECT p.id FROM json_each(@rk) k JOIN payments p ON p.provider = json_extract(k.value, '$[0]') AND p.provider_reference = json_extract(k.value, '$[1]')) " +
            "ORDER BY id";

        public override DatabaseKind Kind => DatabaseKind.Sqlite;
        public override string RowLock => "";
        public override string SkipLocked => "";
        public override string False => "0";
        public override string? TryLockSql(long key) => null;
        public override string? LockSql(int space, int key) => null;
        public override object TimeValue(DateTimeOffset value) => value.UtcTicks;
        public override bool CommitsInBatch => false;
        public override int ConcurrentBatchWriters => 1;

        public override (string Sql, DbParameter[] Parameters) SeenEvents(IReadOnlyList<(string Provider, string EventId)> keys) =>
            (Seen, [new SqliteParameter("$1", Pairs(keys))]);

        public override (string Sql, object[] Parameters) LockPayments(
            IReadOnlyList<string> ids, IReadOnlyList<(string, string)> byProviderId, IReadOnlyList<(string, string)> byReference) =>
            (Lock,
            [
                new SqliteParameter("@ids", JsonSerializer.Serialize(ids)),
                new SqliteParameter("@pk", Pairs(byProviderId)), new SqliteParameter("@rk", Pairs(byReference)),
            ]);
    }
}
