using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Bench.LoadGen;

public enum Engine { Sqlite, Postgres }

public sealed record BenchSettings(
    Engine Engine, string ServerDll, string? PostgresUrl, string WorkDir, int Payments, double DuplicateShare,
    int Connections, int Rate, int RateSeconds, int IntentSamples, int Seed, string? NodePeer = null, int NodePoolMax = 10);

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record Latency(double P50, double P90, double P99, double Max)
{
    public static Latency Of(double[] millis)
    {
        if (millis.Length == 0) return new Latency(0, 0, 0, 0);
        var sorted = (double[])millis.Clone();
        Array.Sort(sorted);
        return new Latency(At(sorted, 0.50), At(sorted, 0.90), At(sorted, 0.99), sorted[^1]);
    }

    // Nearest rank: the smallest value with at least p of the samples at or below it.
    private static double At(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>One scenario's figures. <see cref="PerSecond"/> counts every request, duplicates included.</summary>
public sealed record PhaseResult(
    string Name, string Provider, int Connections, int Requests, int Errors, double Seconds, double PerSecond, Latency Latency,
    IReadOnlyDictionary<string, int> Outcomes, string? Note = null, CpuShare? Cpu = null);

public sealed record RunResult(
    Engine Engine, DateTimeOffset StartedAt, int Cores, string Cpu, string LoadBefore, string LoadAfter, BenchSettings Settings,
    double ColdStartMs, double RestartMs, long RssPeakKb, long RssHwmKb, long RssAfterLoadKb,
    IReadOnlyList<PhaseResult> Phases, IReadOnlyList<string> Violations, long NodeRssHwmKb = 0);

public static class ResultFiles
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static async Task WriteAsync(RunResult result, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, Json));
    }

    public static async Task<RunResult> ReadAsync(string path, CancellationToken ct) =>
        JsonSerializer.Deserialize<RunResult>(await File.ReadAllTextAsync(path, ct), Json)
        ?? throw new InvalidDataException($"{path} holds no result");

    /// <summary>"0.52 0.61 0.70" from /proc/loadavg: the conditions a figure was measured under.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public static string CpuModel()
    {
        if (!File.Exists("/proc/cpuinfo")) return "unknown CPU";
        var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line?[(line.IndexOf(':') + 1)..].Trim() ?? "unknown CPU";
    }
}
