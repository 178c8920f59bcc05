using System.Data.Common;

namespace Payments.Bench.LoadGen;

/// <summary>
/// After a webhook scenario: every unique event was applied exactly once, by what the service
/// answered and by what the database holds. Each violation is one line; any makes the run fail.
/// <list type="bullet">
/// <item>every delivery answered 200; per event exactly one "applied", every other delivery "duplicate";</item>
/// <item>exactly one payment_events row per event id, on the event's payment;</item>
/// <item>every payment that got a success event is succeeded, with exactly one payment.finalize and
/// one payment.webhook audit row (each payment gets exactly one unique event here).</item>
/// </list>
/// </summary>
public static class ExactlyOnce
{
    public static List<string> Check(BenchDatabase database, string provider, string eventPrefix,
        IReadOnlyList<BenchEvent> events, IReadOnlyList<int> deliveries, IReadOnlyList<Answer> answers)
    {
        var violations = CheckAnswers(events, deliveries, answers);
        CheckTables(database, provider, eventPrefix, events, violations);
        return violations;
    }

    /// <summary>Every delivery answered 200; per event exactly one "applied", every other delivery "duplicate".</summary>
    public static List<string> CheckAnswers(IReadOnlyList<BenchEvent> events, IReadOnlyList<int> deliveries, IReadOnlyList<Answer> answers)
    {
        var violations = new List<string>();
        var byEvent = new Dictionary<int, List<string>>();
        for (var i = 0; i < deliveries.Count; i++)
        {
            if (!byEvent.TryGetValue(deliveries[i], out var labels)) byEvent[deliveries[i]] = labels = [];
            labels.Add(answers[i].Label);
        }
        for (var e = 0; e < events.Count; e++)
        {
            var labels = byEvent.GetValueOrDefault(e) ?? [];
            if (labels.Count(l => l == "applied") != 1 || labels.Any(l => l is not ("applied" or "duplicate")))
                violations.Add($"{events[e].EventId}: answers [{string.Join(", ", labels)}], expected one applied and the rest duplicate");
        }
        return violations;
    }

    private static void CheckTables(BenchDatabase database, string provider, string eventPrefix, IReadOnlyList<BenchEvent> events, List<string> violations)
    {
        using var connection = database.Open();
        var rows = new Dictionary<string, List<string?>>(StringComparer.Ordinal);
        foreach (var (id, paymentId) in Query(connection,
                     "SELECT external_event_id, payment_id FROM payment_events WHERE provider = @p AND external_event_id LIKE @prefix",
                     r => (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)), ("@p", provider), ("@prefix", eventPrefix + "%")))
        {
            if (!rows.TryGetValue(id, out var list)) rows[id] = list = [];
            list.Add(paymentId);
        }
        var statuses = Query(connection, "SELECT id, status FROM payments WHERE provider = @p", r => (r.GetString(0), r.GetString(1)), ("@p", provider))
            .ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
        var finalized = Counts(connection, "payment.finalize");
        var webhooks = Counts(connection, "payment.webhook");

        foreach (var e in events)
        {
            var recorded = rows.GetValueOrDefault(e.EventId) ?? [];
            if (recorded.Count != 1 || recorded[0] != e.Payment.PaymentId)
                violations.Add($"{e.EventId}: {recorded.Count} payment_events row(s) on [{string.Join(", ", recorded)}], expected one on {e.Payment.PaymentId}");
            var status = statuses.GetValueOrDefault(e.Payment.PaymentId);
            if (status != "succeeded") violations.Add($"{e.Payment.PaymentId}: status {status ?? "missing"}, expected succeeded");
            if (finalized.GetValueOrDefault(e.Payment.PaymentId) != 1)
                violations.Add($"{e.Payment.PaymentId}: {finalized.GetValueOrDefault(e.Payment.PaymentId)} payment.finalize audit rows, expected 1");
            if (webhooks.GetValueOrDefault(e.Payment.PaymentId) != 1)
                violations.Add($"{e.Payment.PaymentId}: {webhooks.GetValueOrDefault(e.Payment.PaymentId)} payment.webhook audit rows, expected 1");
        }
        var strays = rows.Keys.Except(events.Select(e => e.EventId)).Take(5).ToList();
        if (strays.Count > 0) violations.Add($"payment_events rows for events never sent: {string.Join(", ", strays)}");
    }

    private static Dictionary<string, long> Counts(DbConnection connection, string action) =>
        Query(connection, "SELECT payment_id, COUNT(*) FROM audit_log WHERE action = @a AND payment_id IS NOT NULL GROUP BY payment_id",
                r => (r.GetString(0), Convert.ToInt64(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)), ("@a", action))
            .ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);

    private static List<T> Query<T>(DbConnection connection, string sql, Func<DbDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 300;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        using var reader = command.ExecuteReader();
        var list = new List<T>();
        while (reader.Read()) list.Add(read(reader));
        return list;
    }
}
