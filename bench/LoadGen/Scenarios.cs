using System.Diagnostics;
using System.Net.Http.Json;

namespace Payments.Bench.LoadGen;

/// <summary>The scenarios against one running server; each adds its figures to <see cref="Phases"/>.</summary>
public sealed class Scenarios(Driver driver, Uri server, BenchSettings settings, CpuMeter cpu)
{
    public List<PhaseResult> Phases { get; } = [];
    public List<string> Violations { get; } = [];

    private static HttpRequestMessage CreateIntentRequest(Uri server, string provider) =>
        new(HttpMethod.Post, new Uri(server, "api/v1/payment/create-intent"))
        {
            Content = JsonContent.Create(new { plan = "basic", provider }),
        };

    /// <summary>Creates <paramref name="count"/> payments over the scenario's connections (itself a create-intent throughput figure).</summary>
    public async Task<List<CreatedPayment>> CreatePaymentsAsync(string provider, int count, CancellationToken ct)
    {
        var before = cpu.Take();
        var (answers, millis, seconds) = await driver.ClosedLoopAsync(count, settings.Connections, _ => CreateIntentRequest(server, provider), ct);
        Record($"create-intent, {settings.Connections} connections", provider, settings.Connections, answers, millis, seconds, before);
        var created = new List<CreatedPayment>(count);
        foreach (var a in answers.Where(a => a.Ok))
            created.Add(new CreatedPayment(a.Body.GetProperty("payment_id").GetString()!, a.Body.GetProperty("provider_payment_id").GetString()!,
                a.Body.GetProperty("amount").GetInt64(), a.Body.GetProperty("currency").GetString()!));
        return created;
    }

    /// <summary>
    /// create-intent one at a time on a warm server: its latency is our overhead plus the provider's
    /// time. For Stripe the same kind of request is also sent straight to the instant fake, whose
    /// median is the provider's own time (network hop included) to subtract.
    /// </summary>
    public async Task CreateIntentOverheadAsync(string provider, int samples, Uri? providerDirect, CancellationToken ct)
    {
        var before = cpu.Take();
        var (answers, millis, seconds) = await driver.ClosedLoopAsync(samples, 1, _ => CreateIntentRequest(server, provider), ct);
        var after = cpu.Take();
        string? note = provider == "dummy" ? "dummy provider: in process, its own time ≈ 0, so latency = overhead" : null;
        if (providerDirect is not null)
        {
            var (directAnswers, direct, _) = await driver.ClosedLoopAsync(samples, 1, i => DirectStripeRequest(providerDirect, i), ct);
            var p = Latency.Of(direct);
            var overhead = Latency.Of(millis);
            var failed = directAnswers.Count(a => !a.Ok);
            note = $"instant fake Stripe called directly: p50 {p.P50:F2} ms, p90 {p.P90:F2} ms{(failed > 0 ? $" ({failed} failed: {directAnswers.First(a => !a.Ok).Label})" : "")}; " +
                   $"overhead ≈ p50 {overhead.P50 - p.P50:F2} ms";
        }
        Record("create-intent, sequential (overhead)", provider, 1, answers, millis, seconds, before, note, after);
    }

    private static HttpRequestMessage DirectStripeRequest(Uri stripe, int i)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(stripe, "v1/checkout/sessions"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["mode"] = "payment", ["client_reference_id"] = $"pay_direct_{i}", ["line_items[0][quantity]"] = "1",
                ["line_items[0][price_data][currency]"] = "eur", ["line_items[0][price_data][unit_amount]"] = "1900",
                ["line_items[0][price_data][product_data][name]"] = "Basic plan", ["metadata[payment_id]"] = $"pay_direct_{i}",
            }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", InstantStripe.SecretKey);
        return request;
    }

    /// <summary>One unique success event per payment, a share of them delivered again, all in shuffled order.</summary>
    public (List<BenchEvent> Events, List<int> Deliveries) Plan(WebhookFormat format, string phase, IReadOnlyList<CreatedPayment> payments)
    {
        var prefix = EventPrefix(format, phase);
        var events = payments.Select((p, i) => new BenchEvent($"{prefix}{i:D7}", p, format.Body($"{prefix}{i:D7}", p))).ToList();
        var random = new Random(settings.Seed);
        var deliveries = Enumerable.Range(0, events.Count).ToList();
        var extra = (int)Math.Round(events.Count * settings.DuplicateShare);
        for (var i = 0; i < extra; i++) deliveries.Add(random.Next(events.Count));
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(deliveries));
        return (events, deliveries);
    }

    public static string EventPrefix(WebhookFormat format, string phase) => $"evt_bench_{format.Provider}_{phase}_";

    /// <summary>Closed loop over the scenario's connections: the apply rate. Returns what was sent (the Node.js peer gets the same).</summary>
    public async Task<(List<BenchEvent> Events, List<int> Deliveries)> WebhookThroughputAsync(
        WebhookFormat format, string phase, IReadOnlyList<CreatedPayment> payments, BenchDatabase db, CancellationToken ct)
    {
        var (events, deliveries) = Plan(format, phase, payments);
        var before = cpu.Take();
        var (answers, millis, seconds) = await driver.ClosedLoopAsync(deliveries.Count, settings.Connections,
            i => format.Delivery(server, events[deliveries[i]].Body), ct);
        var after = cpu.Take();
        Check(format, phase, events, deliveries, answers, db);
        Record($"webhooks, {settings.Connections} connections, {settings.DuplicateShare:P0} duplicates", format.Provider,
            settings.Connections, answers, millis, seconds, before, phase == "warmup" ? "warm-up, not a figure" : null, after);
        return (events, deliveries);
    }

    /// <summary>
    /// The same Stripe deliveries (same bodies, same duplicates, same order, same connections, closed
    /// loop) sent to the Node.js peer; its CPU is counted as the "server" column.
    /// </summary>
    public async Task NodePeerThroughputAsync(NodePeer node, string phase, List<BenchEvent> events, List<int> deliveries, CancellationToken ct)
    {
        var meter = new CpuMeter(node.Server.Pid, settings.PostgresUrl is { } url ? new Uri(url).Port : null);
        var before = meter.Take();
        var (answers, millis, seconds) = await driver.ClosedLoopAsync(deliveries.Count, settings.Connections,
            i => WebhookFormat.Stripe.Delivery(node.Server.BaseAddress, events[deliveries[i]].Body), ct);
        var after = meter.Take();
        Violations.AddRange(node.Check(events, deliveries, answers));
        var name = $"webhooks, {settings.Connections} connections, {settings.DuplicateShare:P0} duplicates";
        var note = phase == "warmup" ? "warm-up, not a figure (Node.js peer)" : $"Node.js peer (Express + stripe + pg, pool {settings.NodePoolMax}), the Stripe deliveries above";
        Record(name, NodeProvider, settings.Connections, answers, millis, seconds, before, note, after);
    }

    /// <summary>The provider column of the Node.js peer's rows.</summary>
    public const string NodeProvider = "node (stripe)";

    /// <summary>Open loop at a fixed rate: latency when the service is not saturated.</summary>
    public async Task WebhookFixedRateAsync(WebhookFormat format, IReadOnlyList<CreatedPayment> payments, BenchDatabase db, CancellationToken ct)
    {
        var (events, deliveries) = Plan(format, "rate", payments);
        var before = cpu.Take();
        var (answers, millis, seconds) = await driver.FixedRateAsync(deliveries.Count, settings.Rate,
            i => format.Delivery(server, events[deliveries[i]].Body), ct);
        var after = cpu.Take();
        Check(format, "rate", events, deliveries, answers, db);
        Record($"webhooks at {settings.Rate}/s (fixed rate)", format.Provider, settings.Connections, answers, millis, seconds, before, null, after);
    }

    private void Check(WebhookFormat format, string phase, List<BenchEvent> events, List<int> deliveries, Answer[] answers, BenchDatabase db)
    {
        var started = Stopwatch.GetTimestamp();
        var found = ExactlyOnce.Check(db, format.Provider, EventPrefix(format, phase), events, deliveries, answers);
        Console.WriteLine($"  exactly-once check of {events.Count} events ({format.Provider}, {phase}): " +
                          $"{(found.Count == 0 ? "ok" : $"{found.Count} VIOLATIONS")} ({Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s)");
        Violations.AddRange(found);
    }

    private void Record(string name, string provider, int connections, Answer[] answers, double[] millis, double seconds,
        CpuMeter.Sample before, string? note = null, CpuMeter.Sample? after = null)
    {
        var outcomes = answers.GroupBy(a => a.Label).ToDictionary(g => g.Key, g => g.Count());
        var errors = answers.Count(a => !a.Ok);
        var share = CpuMeter.PerRequest(before, after ?? cpu.Take(), answers.Length);
        var phase = new PhaseResult(name, provider, connections, answers.Length, errors, seconds, answers.Length / seconds, Latency.Of(millis),
            outcomes, note, share);
        Phases.Add(phase);
        Console.WriteLine($"  {provider,-6} {name}: {phase.PerSecond,8:F0}/s  p50 {phase.Latency.P50:F2} ms  p90 {phase.Latency.P90:F2} ms  " +
                          $"p99 {phase.Latency.P99:F2} ms  errors {errors}  [{string.Join(", ", outcomes.Select(o => $"{o.Key}={o.Value}"))}]  " +
                          $"CPU µs/req: server {share.Server:F0}, db {share.Database:F0}, loadgen {share.LoadGen:F0}, other {share.Other:F0}");
        foreach (var failed in answers.Where(a => !a.Ok).Take(3))
            Console.WriteLine($"    error: {failed.Label} {failed.Outcome} {(failed.Body.ValueKind == System.Text.Json.JsonValueKind.Object ? failed.Body.ToString() : "")}");
    }
}
