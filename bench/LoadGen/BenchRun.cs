namespace Payments.Bench.LoadGen;

/// <summary>
/// One engine end to end: fresh database, instant fake Stripe, the server started twice (cold on the
/// empty database, which applies the schema; then a restart, which is what "cold start" means for an
/// operator), then every scenario in order, each webhook scenario followed by its exactly-once check.
/// </summary>
public static class BenchRun
{
    private const int WarmupEvents = 1_000;

    public static async Task<RunResult> RunAsync(BenchSettings s, CancellationToken ct)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var loadBefore = ResultFiles.LoadAverage();
        Console.WriteLine($"== {s.Engine}: load average {loadBefore}, {Environment.ProcessorCount} cores");
        await using var stripe = await InstantStripe.StartAsync();
        await using var database = await BenchDatabase.CreateAsync(s, ct);
        var environment = new Dictionary<string, string>(database.ServerSettings)
        {
            ["RATE_LIMITS_ENABLED"] = "false",
            ["PAYMENT_WEBHOOK_SECRET"] = WebhookFormat.DummySecret,
            ["STRIPE_SECRET_KEY"] = InstantStripe.SecretKey,
            ["STRIPE_WEBHOOK_SECRET"] = InstantStripe.WebhookSecret,
            ["STRIPE_API_BASE"] = stripe.BaseAddress.ToString(),
            ["RECEIPTS_DIR"] = Path.Combine(s.WorkDir, "receipts"),
        };
        var log = Path.Combine(s.WorkDir, $"server-{s.Engine.ToString().ToLowerInvariant()}.log");

        var (first, coldMs) = await ServerProcess.StartAsync(s.ServerDll, environment, log, ct);
        await first.DisposeAsync();
        var (server, restartMs) = await ServerProcess.StartAsync(s.ServerDll, environment, log, ct);
        Console.WriteLine($"  ready in {coldMs:F0} ms on the empty database, {restartMs:F0} ms on restart");

        Scenarios scenarios;
        long afterLoadKb, peakKb, hwmKb, nodeHwmKb = 0;
        await using (server)
        {
            using var http = Driver.NewClient(s.Connections);
            var postgresPort = s.PostgresUrl is { } url ? new Uri(url).Port : (int?)null;
            scenarios = new Scenarios(new Driver(http), server.BaseAddress, s, new CpuMeter(server.Pid, postgresPort));
            var rateEvents = s.Rate * s.RateSeconds;

            var dummy = await scenarios.CreatePaymentsAsync("dummy", WarmupEvents + s.Payments + rateEvents, ct);
            await scenarios.CreateIntentOverheadAsync("dummy", s.IntentSamples, null, ct);
            var viaStripe = await scenarios.CreatePaymentsAsync("stripe", s.Payments, ct);
            await scenarios.CreateIntentOverheadAsync("stripe", s.IntentSamples / 2, stripe.BaseAddress, ct);

            await scenarios.WebhookThroughputAsync(WebhookFormat.Dummy, "warmup", dummy[..WarmupEvents], database, ct);
            await scenarios.WebhookThroughputAsync(WebhookFormat.Dummy, "tput", dummy[WarmupEvents..(WarmupEvents + s.Payments)], database, ct);
            var stripePlan = await scenarios.WebhookThroughputAsync(WebhookFormat.Stripe, "tput", viaStripe, database, ct);
            if (s.NodePeer is not null && s.Engine == Engine.Postgres)
                nodeHwmKb = await NodePeerAsync(s, scenarios, viaStripe, stripePlan, ct);
            await scenarios.WebhookFixedRateAsync(WebhookFormat.Dummy, dummy[(WarmupEvents + s.Payments)..], database, ct);

            afterLoadKb = server.RssKb;
            Console.WriteLine($"  memory after load: {server.MemoryBreakdown()}");
            peakKb = server.PeakRssKb;
            hwmKb = server.HwmKb;
        }
        Console.WriteLine($"  RSS: peak sampled {peakKb / 1024} MB, VmHWM {hwmKb / 1024} MB, after load {afterLoadKb / 1024} MB");

        return new RunResult(s.Engine, startedAt, Environment.ProcessorCount, ResultFiles.CpuModel(), loadBefore, ResultFiles.LoadAverage(), s,
            coldMs, restartMs, peakKb, hwmKb, afterLoadKb, scenarios.Phases, scenarios.Violations, nodeHwmKb);
    }

    /// <summary>
    /// Right after the service's own Stripe scenario, under the same machine load: the Node.js peer on
    /// its own database, seeded with the same payments, warmed up on 1,000 payments of its own (as the
    /// service was), then sent the very same deliveries. Returns its peak RSS (kB).
    /// </summary>
    private static async Task<long> NodePeerAsync(BenchSettings s, Scenarios scenarios, IReadOnlyList<CreatedPayment> viaStripe,
        (List<BenchEvent> Events, List<int> Deliveries) plan, CancellationToken ct)
    {
        await using var node = await NodePeer.StartAsync(s, ct);
        var warm = Enumerable.Range(0, WarmupEvents)
            .Select(i => new CreatedPayment($"pay_nodewarm_{i:D6}", $"cs_test_nodewarm{i:D10}", 1900, "EUR")).ToList();
        await node.SeedAsync(viaStripe.Concat(warm), ct);
        var warmPlan = scenarios.Plan(WebhookFormat.Stripe, "nodewarmup", warm);
        await scenarios.NodePeerThroughputAsync(node, "warmup", warmPlan.Events, warmPlan.Deliveries, ct);
        await scenarios.NodePeerThroughputAsync(node, "tput", plan.Events, plan.Deliveries, ct);
        Console.WriteLine($"  Node.js peer memory: VmHWM {node.Server.HwmKb / 1024} MB");
        return node.Server.HwmKb;
    }
}
