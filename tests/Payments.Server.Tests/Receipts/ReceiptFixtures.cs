using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Payments.Server.Data;
using Payments.Server.Features.Receipts;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Receipts;

/// <summary>
/// Merchant and plans in Danish, Japanese and Thai, three currencies with different decimals,
/// a private receipts directory, and the real Chromium behind a renderer that counts its prints.
/// </summary>
public sealed class ReceiptSetup : IDisposable
{
    public const string MerchantName = "Ærøskøbing Købmandsgård ApS";
    public const string JapanesePlan = "ベーシックプラン";
    public const string ThaiPlan = "แผนพื้นฐาน";

    public string ReceiptsDir { get; } = Directory.CreateTempSubdirectory("payments-receipts-").FullName;

    public Dictionary<string, string?> Settings(string? chromiumPath = null) => Credentials.Settings(new()
    {
        ["MERCHANT_NAME"] = MerchantName,
        // A literal backslash-n, as it arrives from an .env file.
        ["MERCHANT_ADDRESS"] = @"Vestergade 1\n5970 Ærøskøbing\nDanmark",
        ["MERCHANT_VAT_ID"] = "DK12345678",
        ["RECEIPTS_DIR"] = ReceiptsDir,
        ["PDF_ENGINE_CONCURRENCY"] = "1",
        ["CHROMIUM_PATH"] = chromiumPath,
        ["Plans:jp:Name"] = JapanesePlan,
        ["Plans:jp:Price"] = "1900 JPY",
        ["Plans:th:Name"] = ThaiPlan,
        ["Plans:th:Price"] = "590.00 THB",
        ["Plans:kw:Name"] = "Gold plan",
        ["Plans:kw:Price"] = "1.250 KWD",
    });

    public static void CountRenders(IServiceCollection services)
    {
        services.AddSingleton(sp => new CountingPdfRenderer(ActivatorUtilities.CreateInstance<ChromiumPdfRenderer>(sp)));
        services.AddSingleton<IPdfRenderer>(sp => sp.GetRequiredService<CountingPdfRenderer>());
    }

    public void Dispose()
    {
        try { Directory.Delete(ReceiptsDir, recursive: true); } catch (IOException) { /* temp dir */ }
    }
}

/// <summary>Passes every print to the real engine and remembers which receipts were printed.</summary>
public sealed class CountingPdfRenderer(IPdfRenderer inner) : IPdfRenderer
{
    private readonly ConcurrentQueue<string> _printed = new();

    public int PrintsOf(string receiptNumber) => _printed.Count(html => html.Contains(receiptNumber, StringComparison.Ordinal));

    public async Task RenderAsync(string html, string pdfPath, CancellationToken cancellationToken)
    {
        _printed.Enqueue(html);
        await inner.RenderAsync(html, pdfPath, cancellationToken);
    }
}

/// <summary>The receipt settings above; <paramref name="chromiumPath"/> null means the real engine, counted.</summary>
public abstract class ReceiptsApp(DatabaseKind engine, string? chromiumPath = null) : AppFixture(engine)
{
    public ReceiptSetup Setup { get; } = new();
    protected override IReadOnlyDictionary<string, string?> Settings => Setup.Settings(chromiumPath);

    protected override void ConfigureServices(IServiceCollection services)
    {
        if (chromiumPath is null) ReceiptSetup.CountRenders(services);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Setup.Dispose();
    }
}

public class SqliteReceiptsApp() : ReceiptsApp(DatabaseKind.Sqlite);

public class PostgresReceiptsApp() : ReceiptsApp(DatabaseKind.Postgres);

/// <summary>The same service on a machine where the PDF engine is not installed.</summary>
public class SqliteNoEngineApp() : ReceiptsApp(DatabaseKind.Sqlite, "/nonexistent/chromium");

public class PostgresNoEngineApp() : ReceiptsApp(DatabaseKind.Postgres, "/nonexistent/chromium");
