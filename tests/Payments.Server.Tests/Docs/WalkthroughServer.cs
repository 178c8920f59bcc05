using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Docs;

/// <summary>
/// The service as the README starts it, as a real process: the built Payments.Server.dll (what
/// <c>dotnet run -c Release --project src/Payments.Server</c> runs, without building it again) with
/// the settings of the README's start command, on a free loopback port, with a fresh SQLite file
/// and its data folders in a temporary directory, and nothing else from this machine's environment.
/// </summary>
public sealed class WalkthroughServer : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("payments-readme-").FullName;
    private readonly StringBuilder _log = new();
    private Process? _process;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Where the walkthrough's runs get their folders (the receipt downloads land there).</summary>
    public string WorkingDirectory => Path.Combine(_dir, "shell");

    public string Log { get { lock (_log) return _log.ToString(); } }

    public async ValueTask InitializeAsync()
    {
        var settings = ReadmeWalkthrough.Parse(File.ReadAllText(Readme.Path)).ServerSettings;
        Directory.CreateDirectory(WorkingDirectory);
        // Only what the README says (ServerProcess keeps this machine's settings of the service out).
        var start = ServerProcess.StartInfo(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        // Port 0: the kernel picks a free port as the server binds it, and the server says which. A port chosen
        // free beforehand could be taken by another test's server first; ours then exited while the other one
        // answered /healthz, and the walkthrough met a closed port once that server was gone.
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["SQLITE_PATH"] = Path.Combine(_dir, "payments.db");
        start.Environment["DATA_PROTECTION_KEYS_DIR"] = Path.Combine(_dir, "keys");
        start.Environment["RECEIPTS_DIR"] = Path.Combine(_dir, "receipts");

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        BaseAddress = await ListeningAddressAsync();
        await WaitUntilHealthyAsync();
    }


    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    /// <summary>The address from Kestrel's "Now listening on: http://127.0.0.1:N" line.</summary>
    private async Task<Uri> ListeningAddressAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (System.Text.RegularExpressions.Regex.Match(Log, @"Now listening on: (http://127\.0\.0\.1:\d+)") is { Success: true } found)
                return new Uri(found.Groups[1].Value);
            if (_process!.HasExited) throw new InvalidOperationException($"The service exited with {_process.ExitCode} before it listened:\n{Log}");
            await Task.Delay(100);
        }
        throw new TimeoutException($"The service did not say where it listens within 90 s:\n{Log}");
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited) throw new InvalidOperationException($"The service exited with {_process.ExitCode} before it answered:\n{Log}");
            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The service did not answer /healthz within 90 s:\n{Log}");
    }


    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(); // gone before its folder is removed below
            _process.Dispose();
        }
        // Best effort: a failure to tidy a temporary folder must not hide the test's own failure.
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
