using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Payments.Server.Tests.Chaos;

/// <summary>What must hold after any run, read straight from the database the nodes shared.</summary>
public sealed record ChaosFindings(
    int Payments, int NotSettled, int AppliedTwice, int EventRowsTwice, int RefundsOverPaid, int RefundsWrong, int UnbalancedLedger,
    int GrantedTwice, int OutboxTwice, int AcceptedButLost)
{
    public bool Clean => NotSettled + AppliedTwice + EventRowsTwice + RefundsOverPaid + RefundsWrong + UnbalancedLedger + GrantedTwice + OutboxTwice
                         + AcceptedButLost == 0;

    public static async Task<ChaosFindings> ReadAsync(
        DbConnection db, IReadOnlyList<(string PaymentId, long Amount, bool Refunded, bool Credits)> payments,
        IEnumerable<string> acceptedEventIds, long refundAmount)
    {
        await db.OpenAsync();
        var ids = payments.Select(p => p.PaymentId).ToHashSet();
        var rows = await Rows(db, "SELECT id, status, amount_minor, refunded_minor FROM payments");
        var byId = rows.Where(r => ids.Contains((string)r[0])).ToDictionary(r => (string)r[0]);
        var expected = payments.ToDictionary(p => p.PaymentId);

        var notSettled = ids.Count(id => !byId.TryGetValue(id, out var r)
                                         || (string)r[1] != (expected[id].Refunded ? "partially_refunded" : "succeeded"));
        var finalized = Counts(await Rows(db, "SELECT payment_id, count(*) FROM audit_log WHERE action = 'payment.finalize' AND payment_id IS NOT NULL GROUP BY payment_id"));
        var appliedTwice = ids.Count(id => finalized.GetValueOrDefault(id) > 1);
        var eventsTwice = (int)Convert.ToInt64((await Rows(db,
            "SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT provider, external_event_id FROM payment_events) d) FROM payment_events"))[0][0]);
        var refunds = (await Rows(db, "SELECT payment_id, amount_minor FROM refunds WHERE status = 'succeeded'"))
            .Where(r => ids.Contains((string)r[0])).GroupBy(r => (string)r[0]).ToDictionary(g => g.Key, g => g.Select(r => Convert.ToInt64(r[1])).ToList());
        var overPaid = ids.Count(id => refunds.GetValueOrDefault(id)?.Sum() > expected[id].Amount
                                       || (byId.TryGetValue(id, out var r) && Convert.ToInt64(r[3]) != (refunds.GetValueOrDefault(id)?.Sum() ?? 0)));
        var refundsWrong = ids.Count(id => (refunds.GetValueOrDefault(id) ?? []) is var list
                                           && (expected[id].Refunded ? list is not [var one] || one != refundAmount : list.Count != 0));
        var unbalanced = (await Rows(db, "SELECT transaction_id FROM credit_entries GROUP BY transaction_id HAVING sum(amount) <> 0")).Count;
        var grants = Counts(await Rows(db, "SELECT payment_id, count(*) FROM credit_transactions WHERE kind = 'purchase' AND payment_id IS NOT NULL GROUP BY payment_id"));
        var grantedTwice = payments.Count(p => p.Credits && grants.GetValueOrDefault(p.PaymentId) != 1);
        var succeededNews = Counts(await Rows(db, "SELECT resource_id, count(*) FROM outbox_events WHERE type = 'payment.succeeded' GROUP BY resource_id"));
        var outboxTwice = ids.Count(id => succeededNews.GetValueOrDefault(id) != 1);
        var recorded = (await Rows(db, "SELECT external_event_id FROM payment_events WHERE provider = 'dummy'")).Select(r => (string)r[0]).ToHashSet();
        var lost = acceptedEventIds.Count(e => !recorded.Contains(e));
        return new ChaosFindings(ids.Count, notSettled, appliedTwice, eventsTwice, overPaid, refundsWrong, unbalanced, grantedTwice, outboxTwice, lost);
    }

    private static Dictionary<string, long> Counts(List<object[]> rows) => rows.ToDictionary(r => (string)r[0], r => Convert.ToInt64(r[1]));

    private static async Task<List<object[]>> Rows(DbConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }
}

public static class ChaosChecks
{
    public static DbConnection Connect(string? postgresUrl, string? sqlitePath) =>
        postgresUrl is not null
            ? new NpgsqlConnection(global::Payments.Server.Data.DatabaseUrl.ToNpgsql(postgresUrl))
            : new SqliteConnection($"Data Source={sqlitePath}");
}
