using System.Security.Cryptography;
using System.Text;

namespace Payments.Server.Features.Receipts;

/// <summary>A rendered receipt PDF and the file name to offer it under.</summary>
public sealed record ReceiptPdf(byte[] Content, string FileName);

/// <summary>
/// PDF receipts, cached on disk (<c>RECEIPTS_DIR</c>). A file is named after the receipt number and
/// a hash of the HTML it was printed from, so anything that changes the receipt (a refund, the
/// merchant's address, the template) makes a new file, and an unchanged receipt is never printed
/// twice. The engine writes to a temporary file in the same directory that is then renamed into
/// place: a reader sees a whole PDF or none, however many requests race. A deleted file is simply
/// printed again.
/// </summary>
public sealed class ReceiptService(ReceiptOptions options, IPdfRenderer renderer, ILogger<ReceiptService> log) : IDisposable
{
    private readonly SemaphoreSlim _engine = new(options.EngineConcurrency, options.EngineConcurrency);

    public string CachePathFor(Receipt receipt, string html) =>
        Path.Combine(options.CacheDirectory, $"{receipt.Number}-{Hash(html)}.pdf");

    public async Task<ReceiptPdf> GetPdfAsync(Receipt receipt, CancellationToken cancellationToken)
    {
        var html = ReceiptTemplate.Render(receipt);
        var path = CachePathFor(receipt, html);
        var fileName = $"receipt-{receipt.Number}.pdf";
        if (await TryReadAsync(path, cancellationToken) is { } cached) return new ReceiptPdf(cached, fileName);

        // Chromium is heavy: a few renders at a time, the rest queue here.
        await _engine.WaitAsync(cancellationToken);
        var temp = Path.Combine(options.CacheDirectory, $".{receipt.Number}-{Guid.NewGuid():N}.tmp");
        try
        {
            // Whoever held the gate before us may have printed this very receipt.
            if (await TryReadAsync(path, cancellationToken) is { } printed) return new ReceiptPdf(printed, fileName);

            Hosting.OwnerOnly.CreateDirectory(options.CacheDirectory);
            // Not the request's token: a client that gives up should still leave a cached file for its retry.
            await renderer.RenderAsync(html, temp, CancellationToken.None);
            var bytes = await File.ReadAllBytesAsync(temp, CancellationToken.None);
            Hosting.OwnerOnly.Restrict(temp); // Chromium writes it with the umask's mode; receipts name customers
            File.Move(temp, path, overwrite: true); // rename(2): atomic within one directory
            RemoveOlderVersions(receipt, path);
            return new ReceiptPdf(bytes, fileName);
        }
        finally
        {
            _engine.Release();
            TryDelete(temp);
        }
    }

    private static async Task<byte[]?> TryReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Earlier prints of the same receipt (before a refund, say) are no longer what it says.</summary>
    private void RemoveOlderVersions(Receipt receipt, string current)
    {
        foreach (var old in Directory.EnumerateFiles(options.CacheDirectory, $"{receipt.Number}-*.pdf"))
            if (!string.Equals(old, current, StringComparison.Ordinal)) TryDelete(old);
    }

    private void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException e) { log.LogWarning(e, "Could not delete {Path}", path); }
        catch (UnauthorizedAccessException e) { log.LogWarning(e, "Could not delete {Path}", path); }
    }

    private static string Hash(string html) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(html)))[..16];

    public void Dispose() => _engine.Dispose();
}
