using System.Globalization;
using System.Text;

namespace Payments.Bench.LoadGen;

/// <summary>
/// Rewrites the section of bench/RESULTS.md between the latest-run markers; everything else in the
/// file (the before/after history written by people) is kept as it is.
/// </summary>
public static class Report
{
    public const string Begin = "<!-- latest-run:begin (written by bench/run.sh; edits inside are overwritten) -->";
    public const string End = "<!-- latest-run:end -->";

    public static async Task WriteAsync(IReadOnlyList<RunResult> results, string path, string command, CancellationToken ct)
    {
        var section = Render(results, command);
        var existing = File.Exists(path) ? await File.ReadAllTextAsync(path, ct) : "# Benchmark results\n\n" + Begin + "\n" + End + "\n";
        var start = existing.IndexOf(Begin, StringComparison.Ordinal);
        var end = existing.IndexOf(End, StringComparison.Ordinal);
        var updated = start >= 0 && end > start
            ? existing[..start] + section + existing[(end + End.Length)..]
            : existing.TrimEnd() + "\n\n" + section + "\n";
        await File.WriteAllTextAsync(path, updated, ct);
    }

    private static string Render(IReadOnlyList<RunResult> results, string command)
    {
        var c = CultureInfo.InvariantCulture;
        var first = results[0];
        var s = first.Settings;
        var md = new StringBuilder();
        md.AppendLine(Begin);
        md.AppendLine(c, $"## Latest run: {first.StartedAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(c, $"- Command: `{command}`");
        var loads = string.Join("; ", results.Select(r => $"{Name(r.Engine)} {r.LoadBefore} → {r.LoadAfter}"));
        md.AppendLine(c, $"- Machine: {first.Cores} cores ({first.Cpu}); load average (1/5/15 min) before → after: {loads}");
        md.AppendLine(c, $"- Settings: {s.Payments} payments per throughput scenario, {s.DuplicateShare:P0} extra duplicate deliveries, shuffled, {s.Connections} connections; fixed rate {s.Rate}/s for {s.RateSeconds} s; {s.IntentSamples} sequential create-intents");
        md.AppendLine();
        md.AppendLine("| Target | " + string.Join(" | ", results.Select(r => Name(r.Engine))) + " |");
        md.AppendLine("| --- |" + string.Concat(results.Select(_ => " --- |")));
        Row(md, results, $"Webhook apply, dummy, {s.Connections} connections (≥ 3,500/s PostgreSQL, ≥ 2,000/s SQLite)",
            r => Phase(r, "dummy", "webhooks, ") is { } p ? Judge($"{p.PerSecond:F0}/s", p.PerSecond >= (r.Engine == Engine.Postgres ? 3500 : 2000)) : "–");
        Row(md, results, $"Webhook apply, Stripe, {s.Connections} connections (same targets)",
            r => Phase(r, "stripe", "webhooks, ") is { } p ? Judge($"{p.PerSecond:F0}/s", p.PerSecond >= (r.Engine == Engine.Postgres ? 3500 : 2000)) : "–");
        Row(md, results, $"Webhook p99 at {s.Rate}/s (≤ 20 ms)",
            r => Phase(r, "dummy", "webhooks at") is { } p ? Judge($"{p.Latency.P99:F1} ms", p.Latency.P99 <= 20) : "–");
        Row(md, results, "create-intent overhead p50, dummy (≤ 1 ms)",
            r => Phase(r, "dummy", "create-intent, sequential") is { } p ? Judge($"{p.Latency.P50:F2} ms", p.Latency.P50 <= 1) : "–");
        Row(md, results, "Webhook apply vs Node.js peer (≥ 3.0×): ours (Stripe format) / Node's, same deliveries", NodeRatio);
        Row(md, results, "SQLite webhook apply (≥ 5,000/s), dummy · Stripe", r => r.Engine != Engine.Sqlite ? "–"
            : string.Join(" · ", new[] { "dummy", "stripe" }.Select(provider => Phase(r, provider, "webhooks, ") is { } p
                ? Judge($"{p.PerSecond:F0}/s", p.PerSecond >= 5000) : "–")));
        Row(md, results, "RSS peak, VmHWM (≤ 100 MB)", r => Judge($"{r.RssHwmKb / 1024.0:F0} MB", r.RssHwmKb <= 100 * 1024)
            + (r.NodeRssHwmKb > 0 ? $" (Node.js peer {r.NodeRssHwmKb / 1024.0:F0} MB)" : ""));
        Row(md, results, "Cold start to /healthz 200, restart (≤ 1 s)", r => Judge($"{r.RestartMs / 1000:F2} s", r.RestartMs <= 1000));
        Row(md, results, "Cold start on an empty database (applies the schema)", r => $"{r.ColdStartMs / 1000:F2} s");
        Row(md, results, "Exactly-once checks", r => r.Violations.Count == 0 ? "all passed ✅" : $"{r.Violations.Count} violations ❌");
        md.AppendLine();
        md.AppendLine("CPU µs/req: CPU time per request spent by the server, by PostgreSQL, by the load generator, and by");
        md.AppendLine("everything else on the machine meanwhile (other work on a shared machine; high values mean the rates are understated).");
        md.AppendLine();
        md.AppendLine("| Engine | Provider | Scenario | Requests | Errors | Rate (/s) | p50 ms | p90 ms | p99 ms | CPU µs/req server / db / loadgen / other | Note |");
        md.AppendLine("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var r in results)
        foreach (var p in r.Phases)
            md.AppendLine(c, $"| {Name(r.Engine)} | {p.Provider} | {p.Name} | {p.Requests} | {p.Errors} | {p.PerSecond:F0} | " +
                             $"{p.Latency.P50:F2} | {p.Latency.P90:F2} | {p.Latency.P99:F2} | {Cpu(p.Cpu)} | {p.Note} |");
        foreach (var r in results.Where(r => r.Violations.Count > 0))
        {
            md.AppendLine();
            md.AppendLine(c, $"{Name(r.Engine)} violations (first 20):");
            foreach (var v in r.Violations.Take(20)) md.AppendLine(c, $"- {v}");
        }
        md.Append(End);
        return md.ToString();
    }

    private static string NodeRatio(RunResult r)
    {
        if (Phase(r, "stripe", "webhooks, ") is not { } ours || Phase(r, Scenarios.NodeProvider, "webhooks, ") is not { } node) return "–";
        var ratio = ours.PerSecond / node.PerSecond;
        return Judge(string.Create(CultureInfo.InvariantCulture, $"{ours.PerSecond:F0}/s / {node.PerSecond:F0}/s = {ratio:F2}×"), ratio >= 3.0);
    }

    /// <summary>The last phase of that provider and kind that is a figure (warm-ups are not).</summary>
    private static PhaseResult? Phase(RunResult r, string provider, string prefix) =>
        r.Phases.LastOrDefault(p => p.Provider == provider && p.Name.StartsWith(prefix, StringComparison.Ordinal)
                                    && !(p.Note?.StartsWith("warm-up", StringComparison.Ordinal) ?? false));

    private static string Cpu(CpuShare? cpu) =>
        cpu is null ? "–" : string.Create(CultureInfo.InvariantCulture, $"{cpu.Server:F0} / {cpu.Database:F0} / {cpu.LoadGen:F0} / {cpu.Other:F0}");

    private static void Row(StringBuilder md, IReadOnlyList<RunResult> results, string label, Func<RunResult, string> cell) =>
        md.AppendLine("| " + label + " | " + string.Join(" | ", results.Select(cell)) + " |");

    private static string Judge(string value, bool met) => met ? $"{value} ✅" : $"{value} ❌";

    private static string Name(Engine engine) => engine == Engine.Postgres ? "PostgreSQL" : "SQLite";
}
