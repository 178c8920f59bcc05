using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// Micro benchmarks of the webhook intake's CPU work (signature check, parsing); see bench/README.md.
//   dotnet run -c Release --project bench/Micro -- --filter '*' [--job short]
// Always in process (--inProcess): BenchmarkDotNet would otherwise generate and build a project per
// run, which costs minutes of a shared two-core machine and a restore this registry may not serve.
var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(Path.GetTempPath(), "payments-micro"));
string[] arguments = args.Contains("--inProcess", StringComparer.OrdinalIgnoreCase) ? args : ["--inProcess", .. args];
return BenchmarkSwitcher.FromAssembly(typeof(Payments.Bench.Micro.WebhookBenchmarks).Assembly).Run(arguments, config).Any() ? 0 : 1;
