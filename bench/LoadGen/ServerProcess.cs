using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Payments.Bench.LoadGen;

/// <summary>
/// The service as a real process (<c>dotnet Payments.Server.dll</c>), as an operator runs it: its cold
/// start is process start → first <c>/healthz</c> 200, and its memory is read from
/// <c>/proc/&lt;pid&gt;/status</c> (VmRSS now, VmHWM the peak over its life).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly CancellationTokenSource _sampling = new();
    private readonly Task _sampler;
    private long _peakRssKb;

    private ServerProcess(Process process, StreamWriter log, Uri baseAddress)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
        _sampler = SampleAsync(_sampling.Token);
    }

    public Uri BaseAddress { get; }
    public int Pid => _process.Id;

    /// <summary>Highest VmRSS seen by sampling every 100 ms.</summary>
    public long PeakRssKb => Interlocked.Read(ref _peakRssKb);

    public long RssKb => ReadStatusKb("VmRSS");

    /// <summary>The kernel's own high-water mark of resident memory over the process's life.</summary>
    public long HwmKb => ReadStatusKb("VmHWM");

    /// <summary>Starts the server and waits for <c>/healthz</c>; returns it with the milliseconds that took.</summary>
    public static Task<(ServerProcess Server, double ReadyMs)> StartAsync(
        string dll, IReadOnlyDictionary<string, string> environment, string logPath, CancellationToken ct) =>
        // The working directory is the dll's: appsettings.json lives next to it.
        StartAsync("dotnet", dll, environment, logPath, ct);

    /// <summary>
    /// Any HTTP server that listens where <c>ASPNETCORE_URLS</c> or <c>PORT</c> says and answers
    /// <c>/healthz</c> 200 when ready (the service with <c>dotnet</c>, the Node.js peer with <c>node</c>).
    /// </summary>
    public static async Task<(ServerProcess Server, double ReadyMs)> StartAsync(
        string program, string entry, IReadOnlyDictionary<string, string> environment, string logPath, CancellationToken ct)
    {
        var port = FreePort();
        var info = new ProcessStartInfo(program)
        {
            ArgumentList = { entry },
            WorkingDirectory = Path.GetDirectoryName(entry)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment) info.Environment[key] = value;
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, log, new Uri($"http://127.0.0.1:{port}/"));

        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited)
                throw new InvalidOperationException($"The server exited with {process.ExitCode} before it was ready; see {logPath}");
            try
            {
                using var response = await probe.GetAsync(new Uri(server.BaseAddress, "healthz"), ct);
                if (response.StatusCode == HttpStatusCode.OK) break;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // The probe's own 2 s timeout: a very busy machine, or still starting. (Left to escape, it
                // ended the generator silently, as a cancellation, and left the server running.)
            }
            if (DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new TimeoutException($"The server was not ready within 60 s; see {logPath}");
            }
            await Task.Delay(5, ct);
        }
        return (server, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>SIGTERM (graceful: Kestrel drains), then SIGKILL if it has not stopped in 15 s.</summary>
    public async ValueTask DisposeAsync()
    {
        await _sampling.CancelAsync();
        try { await _sampler; } catch (OperationCanceledException) { }
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await term.WaitForExitAsync();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try { await _process.WaitForExitAsync(wait.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
        lock (_log) _log.Dispose();
    }

    private async Task SampleAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (await timer.WaitForNextTickAsync(ct))
        {
            var rss = RssKb;
            if (rss > Interlocked.Read(ref _peakRssKb)) Interlocked.Exchange(ref _peakRssKb, rss);
        }
    }

    /// <summary>Where resident memory is: anonymous (GC heap, native allocations, stacks) versus mapped files (assemblies, JIT code).</summary>
    public string MemoryBreakdown()
    {
        try
        {
            var rollup = File.ReadLines($"/proc/{_process.Id}/smaps_rollup")
                .Where(l => l.StartsWith("Anonymous:", StringComparison.Ordinal) || l.StartsWith("Pss_File:", StringComparison.Ordinal) || l.StartsWith("Pss_Shmem:", StringComparison.Ordinal))
                .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
            return string.Join(", ", rollup);
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private long ReadStatusKb(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            // The process is gone.
        }
        return 0;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
