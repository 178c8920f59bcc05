using System.Diagnostics;
using System.Globalization;

namespace Payments.Bench.LoadGen;

/// <summary>CPU time per request, split by who spent it (microseconds).</summary>
/// <param name="Other">Busy time of the whole machine not spent by the three: other people's work
/// on a shared machine. Large values mean the throughput figure is understated.</param>
public sealed record CpuShare(double Server, double Database, double LoadGen, double Other);

/// <summary>
/// CPU spent during a scenario, from /proc: the server process, the processes of our PostgreSQL
/// cluster (the postmaster listening on <paramref name="postgresPort"/> and its children; other
/// clusters on the machine are someone else's), this generator, and the machine as a whole. CPU per request is far steadier than requests per second
/// on a shared machine, so it is what before/after comparisons of an optimisation should look at.
/// </summary>
public sealed class CpuMeter(int serverPid, int? postgresPort)
{
    private static readonly double TickUs = 1_000_000.0 / 100; // USER_HZ is 100 on Linux

    public readonly record struct Sample(long Server, long Database, long LoadGen, long Machine);

    public Sample Take() => new(ProcessTicks(serverPid), DatabaseTicks(), SelfTicks(), MachineBusyTicks());

    public static CpuShare PerRequest(Sample before, Sample after, int requests)
    {
        if (requests == 0) return new CpuShare(0, 0, 0, 0);
        double Us(long ticks) => ticks * TickUs / requests;
        var server = after.Server - before.Server;
        var database = after.Database - before.Database;
        var self = after.LoadGen - before.LoadGen;
        var other = Math.Max(0, after.Machine - before.Machine - server - database - self);
        return new CpuShare(Us(server), Us(database), Us(self), Us(other));
    }

    private static long SelfTicks() => (long)(Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds / 10);

    /// <summary>utime + stime of one process (fields 14 and 15 of /proc/pid/stat, after the command name).</summary>
    private static long ProcessTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    private long DatabaseTicks()
    {
        if (postgresPort is not { } port) return 0;
        var postgres = new List<(int Pid, int Parent, string CommandLine)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() != "postgres") continue;
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                postgres.Add((pid, parent, File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ')));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // Gone meanwhile.
            }
        }
        var postmaster = postgres.FirstOrDefault(p => p.CommandLine.Contains($"-p {port} ", StringComparison.Ordinal)).Pid;
        return postmaster == 0 ? 0 : postgres.Where(p => p.Pid == postmaster || p.Parent == postmaster).Sum(p => ProcessTicks(p.Pid));
    }

    /// <summary>All non-idle time of all CPUs (first line of /proc/stat).</summary>
    private static long MachineBusyTicks()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = cpu.Skip(1).Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return values.Sum() - values[3] - values[4]; // minus idle and iowait
    }
}
