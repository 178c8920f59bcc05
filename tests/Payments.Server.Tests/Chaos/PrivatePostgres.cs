using System.Diagnostics;

namespace Payments.Server.Tests.Chaos;

/// <summary>
/// A PostgreSQL cluster of this test's own (temporary data directory, free port), so it can be restarted
/// under load without disturbing the suite's shared server. Durable settings (fsync, synchronous commit
/// on): what the service answered 2xx for must survive the restart.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dir;
    private readonly int _port = Support.ServerProcess.FreePort();

    private PrivatePostgres(string bin, string dir) => (_bin, _dir) = (bin, dir);

    public string Url => $"postgres://payments@127.0.0.1:{_port}/postgres";

    /// <summary>The cluster, or null when this machine has no PostgreSQL binaries (the caller skips or fails).</summary>
    public static async Task<PrivatePostgres?> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderDescending().FirstOrDefault()
            : null;
        if (bin is null) return null;
        var dir = Directory.CreateTempSubdirectory("payments-chaos-pg-").FullName;
        var pg = new PrivatePostgres(bin, dir);
        if (Environment.UserName == "root") await Run("chown", "-R", "postgres", dir);
        await pg.Pg("initdb", "-D", Path.Combine(dir, "data"), "-U", "payments", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8");
        await pg.Ctl("start");
        return pg;
    }

    /// <summary><c>pg_ctl restart -m fast</c>: every connection is cut, the server is gone for a moment.</summary>
    public Task RestartAsync() => Ctl("restart", "-m", "fast");

    private Task Ctl(string action, params string[] more) => Pg("pg_ctl",
    [
        "-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60",
        "-o", $"-p {_port} -k {_dir} -c listen_addresses=127.0.0.1 -c max_connections=200", action, .. more,
    ]);

    private Task Pg(string tool, params string[] args) =>
        Environment.UserName == "root"
            ? Run("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args])
            : Run(Path.Combine(_bin, tool), args);

    private static async Task Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await output}{await error}");
    }

    public async ValueTask DisposeAsync()
    {
        try { await Ctl("stop", "-m", "immediate"); } catch (InvalidOperationException) { }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
