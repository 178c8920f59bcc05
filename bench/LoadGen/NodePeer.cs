using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Payments.Bench.LoadGen;

/// <summary>
/// The Node.js peer (<c>bench/node-peer/server.js</c>: Express + <c>stripe</c> + <c>pg</c>, one
/// transaction per event) as a real process on its own database of the same PostgreSQL, seeded with
/// the payments the service created through Stripe, so that it can be sent the very same signed
/// <c>checkout.session.completed</c> deliveries and its exactly-once outcome checked in its tables.
/// </summary>
public sealed class NodePeer : IAsyncDisposable
{
    private readonly BenchDatabase _database;

    private NodePeer(BenchDatabase database, ServerProcess server)
    {
        _database = database;
        Server = server;
    }

    public ServerProcess Server { get; }

    public static async Task<NodePeer> StartAsync(BenchSettings s, CancellationToken ct)
    {
        var database = await BenchDatabase.CreateAsync(s, ct, "_node");
        var environment = new Dictionary<string, string>
        {
            ["DATABASE_URL"] = database.ServerSettings["DATABASE_URL"],
            ["STRIPE_SECRET_KEY"] = InstantStripe.SecretKey,
            ["STRIPE_WEBHOOK_SECRET"] = InstantStripe.WebhookSecret,
            ["PG_POOL_MAX"] = s.NodePoolMax.ToString(CultureInfo.InvariantCulture),
            ["NODE_ENV"] = "production",
        };
        try
        {
            var (server, ms) = await ServerProcess.StartAsync("node", Path.GetFullPath(s.NodePeer!), environment,
                Path.Combine(s.WorkDir, "node-peer.log"), ct);
            Console.WriteLine($"  Node.js peer ready in {ms:F0} ms (pg pool of {s.NodePoolMax})");
            return new NodePeer(database, server);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>The same payments as the service's, pending, in the peer's own table (binary COPY).</summary>
    public async Task SeedAsync(IEnumerable<CreatedPayment> payments, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync(ct);
        await using (var copy = await connection.BeginBinaryImportAsync(
                         "COPY payments (id, provider_reference, amount, currency) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var p in payments)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(p.PaymentId, ct);
                await copy.WriteAsync(p.ProviderPaymentId, ct);
                await copy.WriteAsync(p.Amount, ct);
                await copy.WriteAsync(p.Currency.ToUpperInvariant(), ct);
            }
            await copy.CompleteAsync(ct);
        }
        await using var analyze = new NpgsqlCommand("ANALYZE payments", connection);
        await analyze.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Every delivery answered 200, one "applied" per event and "duplicate" for the others; one
    /// stripe_events row per event id, on its payment; every payment succeeded.
    /// </summary>
    public List<string> Check(IReadOnlyList<BenchEvent> events, IReadOnlyList<int> deliveries, IReadOnlyList<Answer> answers)
    {
        var started = Stopwatch.GetTimestamp();
        var violations = ExactlyOnce.CheckAnswers(events, deliveries, answers);
        using var connection = new NpgsqlConnection(_database.ConnectionString);
        connection.Open();
        var rows = new Dictionary<string, List<string?>>(StringComparer.Ordinal);
        using (var command = new NpgsqlCommand("SELECT id, payment_id FROM stripe_events", connection))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
            {
                if (!rows.TryGetValue(reader.GetString(0), out var list)) rows[reader.GetString(0)] = list = [];
                list.Add(reader.IsDBNull(1) ? null : reader.GetString(1));
            }
        var statuses = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var command = new NpgsqlCommand("SELECT id, status FROM payments", connection))
        using (var reader = command.ExecuteReader())
            while (reader.Read()) statuses[reader.GetString(0)] = reader.GetString(1);
        foreach (var e in events)
        {
            var recorded = rows.GetValueOrDefault(e.EventId) ?? [];
            if (recorded.Count != 1 || recorded[0] != e.Payment.PaymentId)
                violations.Add($"node {e.EventId}: {recorded.Count} stripe_events row(s) on [{string.Join(", ", recorded)}], expected one on {e.Payment.PaymentId}");
            if (statuses.GetValueOrDefault(e.Payment.PaymentId) is var status && status != "succeeded")
                violations.Add($"node {e.Payment.PaymentId}: status {status ?? "missing"}, expected succeeded");
        }
        Console.WriteLine($"  exactly-once check of {events.Count} events (Node.js peer): " +
                          $"{(violations.Count == 0 ? "ok" : $"{violations.Count} VIOLATIONS")} ({Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s)");
        return violations;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await _database.DisposeAsync();
    }
}
