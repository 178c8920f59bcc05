using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Payments.Server.Tests.Docs;

/// <summary>
/// The README's "Pay with curl through the dummy provider" walkthrough, and how a test runs it.
/// The contract with the README:
/// <list type="bullet">
/// <item>The section's first <c>sh</c> block starts the service:
/// <c>NAME=value … dotnet run -c Release --project src/Payments.Server</c>. The test starts the built
/// server with exactly those settings (see <see cref="WalkthroughServer"/>).</item>
/// <item>Every later <c>sh</c> block of the section is run as written, in order, by one bash (so
/// shell variables carry from block to block as in one terminal), under <c>set -euo pipefail</c>
/// so that a failing step (<c>curl -f</c>) stops the run. The one change: the documented base URL
/// <c>http://127.0.0.1:5080</c> becomes the started server's.</item>
/// </list>
/// </summary>
public sealed partial record ReadmeWalkthrough(IReadOnlyDictionary<string, string> ServerSettings, IReadOnlyList<string> Blocks)
{
    public const string Section = "Pay with curl through the dummy provider";
    public const string DocumentedBaseUrl = "http://127.0.0.1:5080";
    private const string BlockMarker = "::readme block ";

    public static ReadmeWalkthrough Parse(string readme)
    {
        var blocks = Readme.Blocks(readme).Where(b => b.Section == Section && b.Language == "sh").Select(b => b.Text).ToList();
        if (blocks.Count < 2) throw new InvalidOperationException($"The README section '{Section}' needs a start command and at least one block of steps.");
        var start = StartCommand().Match(blocks[0].Trim());
        if (!start.Success)
            throw new InvalidOperationException($"The first sh block of '{Section}' must be 'NAME=value … dotnet run -c Release --project src/Payments.Server', not:\n{blocks[0]}");
        var settings = start.Groups["name"].Captures.Zip(start.Groups["value"].Captures)
            .ToDictionary(c => c.First.Value, c => c.Second.Value, StringComparer.Ordinal);
        return new ReadmeWalkthrough(settings, blocks.Skip(1).ToList());
    }

    /// <summary>The blocks as one bash script against <paramref name="baseUrl"/>, a marker printed before each.</summary>
    public string Script(Uri baseUrl)
    {
        var script = new StringBuilder("set -euo pipefail\n");
        for (var i = 0; i < Blocks.Count; i++)
            script.Append($"printf '\\n{BlockMarker}{i + 1}::\\n'\n").Append(Blocks[i].Replace(DocumentedBaseUrl, baseUrl.AbsoluteUri.TrimEnd('/'), StringComparison.Ordinal)).Append('\n');
        return script.ToString();
    }

    /// <summary>Runs the script with bash in a new folder under <paramref name="parent"/>; the output is split by block.</summary>
    public async Task<WalkthroughRun> RunAsync(Uri baseUrl, string parent)
    {
        var script = Script(baseUrl);
        var workingDirectory = Directory.CreateDirectory(Path.Combine(parent, Guid.NewGuid().ToString("N"))).FullName;
        var path = Path.Combine(parent, Path.GetFileName(workingDirectory) + ".sh");
        await File.WriteAllTextAsync(path, script);
        var start = new ProcessStartInfo("bash", ["--noprofile", "--norc", path])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        finally
        {
            File.Delete(path);
        }
        var output = await stdout;
        var byBlock = output.Split(BlockMarker).Skip(1)
            .Select(part => part[(part.IndexOf("::", StringComparison.Ordinal) + 2)..]).ToList();
        return new WalkthroughRun(process.ExitCode, output, await stderr, byBlock, script, workingDirectory);
    }

    [GeneratedRegex(@"^(?:(?<name>[A-Z_][A-Z0-9_]*)=(?<value>\S+) +)*dotnet run -c Release --project src/Payments.Server$")]
    private static partial Regex StartCommand();
}

/// <summary>What bash printed, per README block (the blocks it reached), and the folder it ran in.</summary>
public sealed record WalkthroughRun(
    int ExitCode, string Output, string Errors, IReadOnlyList<string> OutputByBlock, string Script, string WorkingDirectory)
{
    public override string ToString() =>
        $"bash exited with {ExitCode}.\n--- script ---\n{Script}\n--- stdout ---\n{Output}\n--- stderr ---\n{Errors}";
}
