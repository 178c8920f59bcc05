using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Payments.Core.Errors;
using Payments.Server.Features.Receipts;

namespace Payments.Server.Tests.Receipts;

/// <summary>How the engine process is run, with small shell scripts standing in for Chromium.</summary>
public sealed class ChromiumPdfRendererTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("payments-engine-").FullName;

    private string Script(string body, bool executable = true)
    {
        var path = Path.Combine(_dir, "engine.sh");
        File.WriteAllText(path, "#!/bin/sh\ndir=$(dirname \"$0\")\n" + body + "\n");
        if (!OperatingSystem.IsWindows()) // the engine and these scripts are Linux things
            File.SetUnixFileMode(path, executable ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100);
        return path;
    }

    private static ChromiumPdfRenderer Renderer(string? engine, int timeoutSeconds = 30) => new(
        new ReceiptOptions
        {
            Merchant = new Merchant("Shop", [], null), CacheDirectory = "/tmp/unused",
            ChromiumPath = engine, EngineTimeout = TimeSpan.FromSeconds(timeoutSeconds),
        },
        NullLogger<ChromiumPdfRenderer>.Instance);

    [Fact]
    public async Task Chromium_gets_the_page_as_a_file_a_fresh_profile_and_the_network_switches()
    {
        var engine = Script("""
            printf '%s\n' "$@" >> "$dir/args"
            for a in "$@"; do case "$a" in --print-to-pdf=*) out="${a#--print-to-pdf=}";; file://*) page="${a#file://}";; esac; done
            cp "$page" "$dir/page.html"
            printf '%%PDF-1.4\n%%%%EOF\n' > "$out"
            """);
        var pdf = Path.Combine(_dir, "out.pdf");

        await Renderer(engine).RenderAsync("<p>Kvittering ベーシック</p>", pdf, CancellationToken.None);
        await Renderer(engine).RenderAsync("<p>again</p>", pdf, CancellationToken.None);

        Assert.StartsWith("%PDF-", await File.ReadAllTextAsync(pdf));
        var args = await File.ReadAllLinesAsync(Path.Combine(_dir, "args"));
        foreach (var flag in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-pdf-header-footer", $"--print-to-pdf={pdf}",
                 })
            Assert.Contains(flag, args);
        var profiles = args.Where(a => a.StartsWith("--user-data-dir=", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, profiles.Distinct().Count());
        Assert.All(profiles, p => Assert.False(Directory.Exists(p["--user-data-dir=".Length..]))); // scratch removed
        Assert.Equal("<p>again</p>", await File.ReadAllTextAsync(Path.Combine(_dir, "page.html")));
    }

    [Fact]
    public async Task An_engine_that_hangs_is_killed_with_its_children_at_the_time_limit()
    {
        var engine = Script("""
            sleep 300 &
            echo $! > "$dir/child"
            echo $$ > "$dir/parent"
            wait
            """);
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<TimeoutException>(() => Renderer(engine, timeoutSeconds: 1).RenderAsync("<p/>", Path.Combine(_dir, "o.pdf"), CancellationToken.None));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        foreach (var name in new[] { "parent", "child" })
        {
            var pid = int.Parse(await File.ReadAllTextAsync(Path.Combine(_dir, name)));
            Assert.True(await IsGone(pid), $"{name} process {pid} is still running");
        }
    }

    [Fact]
    public async Task An_engine_that_fails_is_an_error_that_carries_its_output()
    {
        var engine = Script("echo 'cannot open display' >&2\nexit 3");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Renderer(engine).RenderAsync("<p/>", Path.Combine(_dir, "o.pdf"), CancellationToken.None));
        Assert.Contains("exited with 3", error.Message);
        Assert.Contains("cannot open display", error.Message);
    }

    [Fact]
    public async Task An_engine_that_exits_cleanly_without_a_pdf_is_an_error()
    {
        var engine = Script("exit 0");
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => Renderer(engine).RenderAsync("<p/>", Path.Combine(_dir, "o.pdf"), CancellationToken.None));
    }

    [Fact]
    public async Task A_missing_or_unrunnable_engine_is_a_missing_dependency_with_an_install_hint()
    {
        var missing = await Assert.ThrowsAsync<PaymentsException>(
            () => Renderer(Path.Combine(_dir, "nothing")).RenderAsync("<p/>", Path.Combine(_dir, "o.pdf"), CancellationToken.None));
        var unrunnable = await Assert.ThrowsAsync<PaymentsException>(
            () => Renderer(Script("exit 0", executable: false)).RenderAsync("<p/>", Path.Combine(_dir, "o.pdf"), CancellationToken.None));

        Assert.All([missing, unrunnable], e => Assert.Equal(ErrorKind.DependencyMissing, e.Kind));
        Assert.All([missing, unrunnable], e => Assert.Contains("apt-get install chromium", e.Message));
    }

    /// <summary>Exited (a zombie waiting for a reaper counts: it runs nothing).</summary>
    private static async Task<bool> IsGone(int pid)
    {
        for (var i = 0; i < 50; i++)
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat)) return true;
            try
            {
                var text = await File.ReadAllTextAsync(stat);
                if (text[(text.LastIndexOf(')') + 2)..].StartsWith('Z')) return true;
            }
            catch (IOException) { return true; }
            await Task.Delay(100);
        }
        return false;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
