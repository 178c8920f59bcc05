using System.CommandLine;
using Payments.Bench.LoadGen;

// Two commands: `run` benchmarks one engine end to end (fresh database, the real server process,
// every scenario, exactly-once checks) and writes a JSON result; `report` turns results into
// bench/RESULTS.md. bench/run.sh calls both; see bench/README.md.
var engine = new Option<string>("--engine") { Description = "sqlite or postgres", Required = true };
var server = new Option<FileInfo>("--server") { Description = "Path to the built Payments.Server.dll", Required = true };
var pgUrl = new Option<string?>("--pg-url") { Description = "PostgreSQL server URL (a fresh database is created on it for the run)" };
var work = new Option<DirectoryInfo?>("--work") { Description = "Directory for the SQLite file and the server's log (default: a new temp dir)" };
var payments = new Option<int>("--payments") { Description = "Payments (and unique events) per webhook throughput scenario", DefaultValueFactory = _ => 20_000 };
var duplicates = new Option<double>("--duplicates") { Description = "Share of extra deliveries that repeat an event (0.1 = 10 %)", DefaultValueFactory = _ => 0.1 };
var connections = new Option<int>("--connections") { Description = "Concurrent connections for the throughput scenarios", DefaultValueFactory = _ => 32 };
var rate = new Option<int>("--rate") { Description = "Events per second of the fixed-rate latency scenario", DefaultValueFactory = _ => 1_000 };
var rateSeconds = new Option<int>("--rate-seconds") { Description = "Unique events of the fixed-rate scenario = rate × this (duplicate deliveries come on top, so it runs that much longer)", DefaultValueFactory = _ => 10 };
var intentSamples = new Option<int>("--intent-samples") { Description = "Sequential create-intent calls for the overhead figure", DefaultValueFactory = _ => 2_000 };
var seed = new Option<int>("--seed") { Description = "Shuffle seed", DefaultValueFactory = _ => 1 };
var nodePeer = new Option<FileInfo?>("--node-peer") { Description = "bench/node-peer/server.js: also send the Stripe deliveries to the Node.js peer (PostgreSQL only)" };
var nodePool = new Option<int>("--node-pool") { Description = "The Node.js peer's pg pool size", DefaultValueFactory = _ => 10 };
var output = new Option<FileInfo>("--out") { Description = "Where to write the JSON result", Required = true };

var run = new Command("run", "Benchmark one engine: start the server, run every scenario, check exactly-once, write JSON.")
{
    engine, server, pgUrl, work, payments, duplicates, connections, rate, rateSeconds, intentSamples, seed, nodePeer, nodePool, output,
};
run.SetAction(async (parse, ct) =>
{
    var settings = new BenchSettings(
        parse.GetValue(engine)!.ToLowerInvariant() switch
        {
            "sqlite" => Engine.Sqlite,
            "postgres" or "postgresql" => Engine.Postgres,
            var other => throw new ArgumentException($"--engine {other}: use sqlite or postgres"),
        },
        parse.GetValue(server)!.FullName, parse.GetValue(pgUrl),
        (parse.GetValue(work) ?? Directory.CreateTempSubdirectory("payments-bench-")).FullName,
        parse.GetValue(payments), parse.GetValue(duplicates), parse.GetValue(connections), parse.GetValue(rate),
        parse.GetValue(rateSeconds), parse.GetValue(intentSamples), parse.GetValue(seed), parse.GetValue(nodePeer)?.FullName, parse.GetValue(nodePool));
    var result = await BenchRun.RunAsync(settings, ct);
    await ResultFiles.WriteAsync(result, parse.GetValue(output)!.FullName);
    Console.WriteLine(result.Violations.Count == 0
        ? $"{settings.Engine}: every check passed."
        : $"{settings.Engine}: {result.Violations.Count} exactly-once violation(s); first: {result.Violations[0]}");
    return result.Violations.Count == 0 && result.Phases.All(p => p.Errors == 0) ? 0 : 1;
});

var inputs = new Option<FileInfo[]>("--results") { Description = "JSON results of `run`", Required = true, AllowMultipleArgumentsPerToken = true };
var markdown = new Option<FileInfo>("--markdown") { Description = "The RESULTS.md to update (its latest-run section)", Required = true };
var command = new Option<string>("--command") { Description = "The exact command that produced the results", Required = true };
var report = new Command("report", "Write the latest-run section of bench/RESULTS.md from JSON results.") { inputs, markdown, command };
report.SetAction(async (parse, ct) =>
{
    var results = new List<RunResult>();
    foreach (var file in parse.GetValue(inputs)!) results.Add(await ResultFiles.ReadAsync(file.FullName, ct));
    await Report.WriteAsync(results, parse.GetValue(markdown)!.FullName, parse.GetValue(command)!, ct);
    return 0;
});

var startServer = new Option<FileInfo>("--server") { Description = "Path to the built Payments.Server.dll", Required = true };
var times = new Option<int>("--times") { Description = "How many restarts to time", DefaultValueFactory = _ => 5 };
var startup = new Command("startup", "Time the server's start to /healthz 200 on a SQLite file: once on an empty one, then restarts.") { startServer, times };
startup.SetAction(async (parse, ct) =>
{
    var dir = Directory.CreateTempSubdirectory("payments-startup-");
    try
    {
        var environment = new Dictionary<string, string> { ["SQLITE_PATH"] = Path.Combine(dir.FullName, "payments.db") };
        for (var i = 0; i <= parse.GetValue(times); i++)
        {
            var (server, ms) = await ServerProcess.StartAsync(parse.GetValue(startServer)!.FullName, environment, Path.Combine(dir.FullName, "server.log"), ct);
            var rss = server.RssKb;
            await server.DisposeAsync();
            Console.WriteLine($"{(i == 0 ? "empty database" : $"restart {i}")}: {ms:F0} ms to /healthz 200, RSS {rss / 1024} MB (load average {ResultFiles.LoadAverage()})");
        }
    }
    finally
    {
        dir.Delete(recursive: true);
    }
    return 0;
});

var root = new RootCommand("Payments load generator: webhook apply rate and create-intent overhead.") { run, report, startup };
return await root.Parse(args).InvokeAsync();
