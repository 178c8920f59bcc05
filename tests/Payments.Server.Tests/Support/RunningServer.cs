using System.Diagnostics;
using System.Text;

namespace Payments.Server.Tests.Support;

/// <summary>
/// The built service as a real process on its own loopback port (see <see cref="ServerProcess"/>), for
/// tests that kill it with <c>kill -9</c>, run two of them on one database, or pull the database away.
/// </summary>
public sealed class RunningServer(IReadOnlyDictionary<string, string?> settings, string name = "node") : IAsyncDisposable
{
    private readonly int _port = ServerProcess.FreePort();
    private readonly StringBuilder _log = new();
    private Process? _process;

    public string Name => name;
    public Uri BaseAddress => new($"http://127.0.0.1:{_port}");

    /// <summary>Everything the process wrote, across restarts.</summary>
    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public HttpClient Client(TimeSpan? timeout = null) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };

    /// <summary>Starts (or starts again) the process and waits until it answers <c>/healthz/live</c>.</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        var start = ServerProcess.StartInfo(settings.Append(new("ASPNETCORE_URLS", BaseAddress.AbsoluteUri.TrimEnd('/'))));
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = Client(TimeSpan.FromSeconds(5));
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"{name} exited with {_process.ExitCode}:\n{Log}");
            try
            {
                if ((await http.GetAsync("/healthz/live")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name} did not answer:\n{Log}");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush; leases and connections are left as they were.</summary>
    public async Task KillAsync()
    {
        if (_process is not { HasExited: false }) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync() => await KillAsync();
}
