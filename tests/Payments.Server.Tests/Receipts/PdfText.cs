using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Payments.Server.Tests.Receipts;

/// <summary>What a person (or a search) reads from a PDF: pdftotext's output, whitespace collapsed.</summary>
public static partial class PdfText
{
    public static async Task<string> Extract(byte[] pdf)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, pdf);
            var start = new ProcessStartInfo("pdftotext", ["-enc", "UTF-8", file, "-"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
            };
            using var process = Process.Start(start)!;
            var text = await process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"pdftotext failed ({process.ExitCode}): {errors}");
            // Line breaks fall wherever the layout put them; a name wrapped over two lines is still the name.
            return Whitespace().Replace(text, " ").Normalize(NormalizationForm.FormC);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("pdftotext is not installed (apt-get install poppler-utils; ./scripts/test.sh does this).");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
