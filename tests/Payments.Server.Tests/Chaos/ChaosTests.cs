using System.Diagnostics;
using System.Net.Http.Json;
using Payments.Server.Tests.Outbox;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Chaos;

/// <summary>
/// Issue 17's fault suite, against real server processes: payments whose success is delivered three times
/// over two nodes at once, late contradicting events, refunds racing the deliveries, a node killed with
/// <c>kill -9</c> mid-load and PostgreSQL restarted mid-load, while the provider retries everything. Then
/// the database must show every payment settled once, nothing lost that was answered 2xx, refunds never
/// above what was paid, a balanced ledger, one outbox event per change, and the host told of each, never
/// twice at once. The short form runs in the suite; <c>CHAOS_PAYMENTS=2000 ./scripts/test.sh --filter
/// "FullyQualifiedName~Chaos"</c> is the long form (docs: README "Fault and load runs").
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    private static int PaymentCount => int.TryParse(Environment.GetEnvironmentVariable("CHAOS_PAYMENTS"), out var n) && n > 0 ? n : 40;
    private const long RefundAmount = 100;

    [Fact]
    public async Task Two_nodes_on_PostgreSQL_survive_kill_9_and_a_database_restart_with_nothing_lost_or_applied_twice()
    {
        await using var pg = await PrivatePostgres.StartAsync();
        if (pg is null)
        {
            Assert.SkipWhen(!PostgresTestDatabase.Required, "No PostgreSQL binaries on this machine (./scripts/test.sh installs them).");
            throw new InvalidOperationException("PostgreSQL binaries are required (PAYMENTS_TEST_REQUIRE_POSTGRES=1).");
        }
        var dir = Directory.CreateTempSubdirectory("payments-chaos-").FullName;
        var settings = NodeSettings(dir, new() { ["DATABASE_URL"] = pg.Url, ["DATABASE_CONNECT_TIMEOUT_SECONDS"] = "60" });
        await using var a = new RunningServer(settings, "node-a");
        await using var b = new RunningServer(settings, "node-b");
        await a.StartAsync();
        await b.StartAsync();

        var summary = await RunAsync([a, b], async (load, progress) =>
        {
            var outages = new List<Outage>();
            await progress(1.0 / 3);
            var killed = DateTimeOffset.UtcNow;
            await b.KillAsync();
            await Task.Delay(500);
            await b.StartAsync();
            outages.Add(new Outage("kill -9 node-b", killed, DateTimeOffset.UtcNow));
            await progress(2.0 / 3);
            var restarting = DateTimeOffset.UtcNow;
            await pg.RestartAsync();
            // Connections cut by the restart fail once more each as the pools find out: a few seconds' grace.
            outages.Add(new Outage("PostgreSQL restart", restarting, DateTimeOffset.UtcNow.AddSeconds(10)));
            return outages;
        }, () => ChaosChecks.Connect(pg.Url, null), kills: 1, restarts: 1);

        Assert.True(summary.Clean, summary.Line + "\n--- node-a ---\n" + Tail(a.Log) + "\n--- node-b ---\n" + Tail(b.Log));
    }

    [Fact]
    public async Task The_only_node_on_SQLite_killed_mid_load_loses_nothing_and_applies_nothing_twice()
    {
        var dir = Directory.CreateTempSubdirectory("payments-chaos-").FullName;
        var database = Path.Combine(dir, "payments.db");
        await using var node = new RunningServer(NodeSettings(dir, new() { ["SQLITE_PATH"] = database }), "sqlite-node");
        await node.StartAsync();

        var summary = await RunAsync([node], async (_, progress) =>
        {
            await progress(0.5);
            var killed = DateTimeOffset.UtcNow;
            await node.KillAsync();
            await Task.Delay(500);
            await node.StartAsync();
            return [new Outage("kill -9 the only node", killed, DateTimeOffset.UtcNow)];
        }, () => ChaosChecks.Connect(null, database), kills: 1, restarts: 0);

        Assert.True(summary.Clean, summary.Line + "\n--- node ---\n" + Tail(node.Log));
    }

    private sealed record Summary(bool Clean, string Line);

    private async Task<Summary> RunAsync(
        IReadOnlyList<RunningServer> nodes, Func<ChaosLoad, Func<double, Task>, Task<List<Outage>>> faults,
        Func<System.Data.Common.DbConnection> connect, int kills, int restarts)
    {
        var clock = Stopwatch.StartNew();
        await using var receiver = new HostReceiver(delay: TimeSpan.FromMilliseconds(20));
        using (var admin = nodes[0].Client().As(Credentials.AdminKey))
            (await admin.PostAsJsonAsync("/api/v1/webhook-endpoints", new { url = receiver.Url.ToString(), events = new[] { "*" } })).EnsureSuccessStatusCode();

        var payments = new List<(string PaymentId, string DmId, long Amount, string Currency)>();
        for (var i = 0; i < PaymentCount; i++) payments.Add(await ChaosLoad.CreatePaymentAsync(nodes[i % nodes.Count], i));

        var load = new ChaosLoad(nodes, TimeSpan.FromMinutes(3));
        var done = 0;
        var steps = new List<(double At, TaskCompletionSource Reached)>();
        Task Progress(double share)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (steps)
            {
                if (Volatile.Read(ref done) >= share * payments.Count) reached.SetResult();
                else steps.Add((share, reached));
            }
            return reached.Task;
        }
        void Done()
        {
            var now = Interlocked.Increment(ref done);
            lock (steps)
                foreach (var step in steps.Where(s => now >= s.At * payments.Count && !s.Reached.Task.IsCompleted)) step.Reached.SetResult();
        }

        var faulting = faults(load, Progress);
        using var gate = new SemaphoreSlim(16);
        var accepted = new List<string>();
        var work = payments.Select(async (p, i) =>
        {
            await gate.WaitAsync();
            try
            {
                var success = $"evt_chaos_ok_{p.PaymentId}";
                lock (accepted) accepted.Add(success);
                // The customer pays on the dummy's page (its own webhook, its own event id) while the same success
                // arrives three more times under another id, over every node, at once.
                await Task.WhenAll(Enumerable.Range(0, 3).Select(n => load.DeliverAsync(i + n, success, "payment.succeeded", p.DmId, p.Amount, p.Currency))
                    .Append(load.PayOnPageAsync(i, p.DmId)));
                if (i % 10 < 3)
                {
                    var late = $"evt_chaos_late_{p.PaymentId}";
                    lock (accepted) accepted.Add(late);
                    await load.DeliverAsync(i, late, "payment.failed", p.DmId, p.Amount, p.Currency); // late news: never undoes the success
                }
                if (i % 5 == 0)
                    await Task.WhenAll(load.RefundAsync(i + 1, p.PaymentId, RefundAmount),
                        load.DeliverAsync(i, success, "payment.succeeded", p.DmId, p.Amount, p.Currency)); // a refund racing a fourth copy
            }
            finally
            {
                gate.Release();
                Done();
            }
        }).ToList();
        await Task.WhenAll(work);
        var outages = await faulting;

        // The host is told of every change: wait (bounded) for the outbox to drain.
        await using var db = connect();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && await PendingDeliveries(db) > 0) await Task.Delay(250);
        var undelivered = await PendingDeliveries(db);
        await db.CloseAsync();

        var findings = await ChaosFindings.ReadAsync(db,
            payments.Select((p, i) => (p.PaymentId, p.Amount, i % 5 == 0, i % 2 == 1)).ToList(), accepted, RefundAmount);
        var outside = load.ServerErrors.Count(e => !outages.Any(o => o.Covers(e.At)));
        var toldHost = receiver.All.Where(r => r.Answer == 200).Select(r => r.EventId).ToHashSet();
        var line =
            $"chaos: nodes={nodes.Count} payments={findings.Payments} deliveries={load.Deliveries} kills={kills} pg_restarts={restarts} " +
            $"lost={findings.AcceptedButLost + undelivered} applied_twice={findings.AppliedTwice + findings.EventRowsTwice + findings.GrantedTwice} " +
            $"not_settled={findings.NotSettled} refund_errors={findings.RefundsOverPaid + findings.RefundsWrong} unbalanced={findings.UnbalancedLedger} " +
            $"outbox_twice={findings.OutboxTwice} host_events={toldHost.Count} same_event_at_once={receiver.MaxSameEventAtOnce} " +
            $"5xx_during_outages={load.ServerErrors.Count - outside} 5xx_outside={outside} refused_connections={load.ConnectionFailures} " +
            $"seconds={clock.Elapsed.TotalSeconds:F1}";
        output.WriteLine(line);
        Console.WriteLine(line);
        foreach (var error in load.ServerErrors.Where(e => !outages.Any(o => o.Covers(e.At))).Take(5))
            output.WriteLine($"5xx outside an outage: {error}");
        return new Summary(findings.Clean && undelivered == 0 && outside == 0 && receiver.MaxSameEventAtOnce <= 1, line);
    }

    private static async Task<long> PendingDeliveries(System.Data.Common.DbConnection db)
    {
        if (db.State != System.Data.ConnectionState.Open) await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT count(*) FROM webhook_deliveries WHERE status <> 'succeeded'";
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static Dictionary<string, string?> NodeSettings(string dir, Dictionary<string, string?> more)
    {
        var settings = Credentials.Settings(new()
        {
            ["DATA_PROTECTION_KEYS_DIR"] = Path.Combine(dir, "keys"),
            ["RECEIPTS_DIR"] = Path.Combine(dir, "receipts"),
            ["RATE_LIMITS_ENABLED"] = "false",
            ["OUTBOX_POLL_MILLISECONDS"] = "50",
            ["WEBHOOK_RETRY_INITIAL_SECONDS"] = "0.1",
            ["WEBHOOK_RETRY_MAX_SECONDS"] = "0.5",
            ["WEBHOOK_TIMEOUT_SECONDS"] = "1",
            // A refund claimed by a request its node never finished (kill -9) runs again after this, not after 2 minutes.
            ["IDEMPOTENCY_ABANDONED_AFTER_SECONDS"] = "5",
        });
        foreach (var (k, v) in more) settings[k] = v;
        return settings;
    }

    private static string Tail(string log) => log.Length <= 4000 ? log : log[^4000..];
}
