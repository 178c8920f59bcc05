using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Payments.Core.Errors;

namespace Payments.Server.Features.Receipts;

/// <summary>Turns an HTML document into a PDF file.</summary>
public interface IPdfRenderer
{
    /// <summary>Writes the PDF to <paramref name="pdfPath"/> (which the caller then moves into place).</summary>
    Task RenderAsync(string html, string pdfPath, CancellationToken cancellationToken);
}

/// <summary>
/// Headless Chromium's print-to-PDF, run as a child process per document: a real layout engine
/// with text shaping for every script, from a Debian package (see docs/decisions.md). Each run gets
/// a fresh profile directory, no network, a time limit after which the whole process tree is killed.
/// </summary>
public sealed class ChromiumPdfRenderer(ReceiptOptions options, ILogger<ChromiumPdfRenderer> log) : IPdfRenderer
{
    public const string InstallHint =
        "Install Chromium (Debian/Ubuntu: apt-get install chromium; ./scripts/test.sh does this) " +
        "or set CHROMIUM_PATH to a Chromium or Google Chrome binary. The HTML receipt (…/receipt/{id}/html) works without it.";

    private static readonly string[] WellKnownPaths =
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

    /// <summary>The engine binary, looked up on every render so installing it needs no restart.</summary>
    public string ResolveEngine()
    {
        if (options.ChromiumPath is { } configured)
            return File.Exists(configured)
                ? configured
                : throw Missing($"CHROMIUM_PATH='{configured}' does not exist. {InstallHint}");
        return WellKnownPaths.FirstOrDefault(File.Exists)
               ?? throw Missing($"No PDF engine: none of {string.Join(", ", WellKnownPaths)} exists. {InstallHint}");
    }

    public async Task RenderAsync(string html, string pdfPath, CancellationToken cancellationToken)
    {
        var engine = ResolveEngine();
        var scratch = Directory.CreateTempSubdirectory("payments-pdf-").FullName;
        try
        {
            var page = Path.Combine(scratch, "receipt.html");
            await File.WriteAllTextAsync(page, html, Encoding.UTF8, cancellationToken);
            var start = new ProcessStartInfo(engine, Arguments(page, pdfPath, Path.Combine(scratch, "profile")))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = scratch,
            };
            await RunAsync(start, pdfPath, cancellationToken);
        }
        finally
        {
            try { Directory.Delete(scratch, recursive: true); }
            catch (IOException e) { log.LogWarning(e, "Could not remove PDF scratch directory {Dir}", scratch); }
        }
    }

    /// <summary>
    /// The background-networking, sync and component-update switches matter: without them Chromium
    /// phones home at start, and where outbound connections are refused that slows or fails the run.
    /// </summary>
    internal static IEnumerable<string> Arguments(string page, string pdfPath, string profile) =>
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--disable-default-apps", "--mute-audio",
        $"--user-data-dir={profile}", "--no-pdf-header-footer", $"--print-to-pdf={pdfPath}",
        new Uri(page).AbsoluteUri,
    ];

    private async Task RunAsync(ProcessStartInfo start, string pdfPath, CancellationToken cancellationToken)
    {
        Process process;
        try
        {
            process = Process.Start(start) ?? throw Missing($"'{start.FileName}' did not start. {InstallHint}");
        }
        catch (Win32Exception e)
        {
            throw Missing($"'{start.FileName}' cannot be run ({e.Message}). {InstallHint}");
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(options.EngineTimeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                // Chromium forks zygote, GPU and renderer processes; killing only the parent leaves them running.
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                cancellationToken.ThrowIfCancellationRequested();
                throw new TimeoutException($"The PDF engine did not finish within {options.EngineTimeout.TotalSeconds:0} s and was stopped.");
            }

            // A leftover child can hold the pipes open after the parent exits: do not wait on it forever.
            var output = await Tail(stderr) + await Tail(stdout);
            if (process.ExitCode != 0 || !LooksLikePdf(pdfPath))
                throw new InvalidOperationException(
                    $"The PDF engine '{start.FileName}' exited with {process.ExitCode} without writing a PDF. Output: {output}");
        }
    }

    private static async Task<string> Tail(Task<string> text)
    {
        var done = await Task.WhenAny(text, Task.Delay(TimeSpan.FromSeconds(2)));
        if (done != text) return "";
        var s = await text;
        return s.Length > 2000 ? s[^2000..] : s;
    }

    private static bool LooksLikePdf(string path)
    {
        if (!File.Exists(path)) return false;
        Span<byte> head = stackalloc byte[5];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(head, 5, throwOnEndOfStream: false) == 5 && head.SequenceEqual("%PDF-"u8);
    }

    private static PaymentsException Missing(string detail) => new(ErrorKind.DependencyMissing, detail);
}
