using Payments.Providers.Common;

namespace Payments.Server.Features.Receipts;

/// <summary>Who issues the receipt, as printed at its top.</summary>
public sealed record Merchant(string Name, IReadOnlyList<string> AddressLines, string? VatId);

/// <summary>
/// Receipt settings, read by their environment-variable names: the merchant (<c>MERCHANT_NAME</c>,
/// <c>MERCHANT_ADDRESS</c>, <c>MERCHANT_VAT_ID</c>), the time zone dates are printed in
/// (<c>RECEIPT_TIME_ZONE</c>), the PDF cache (<c>RECEIPTS_DIR</c>) and the PDF engine
/// (<c>CHROMIUM_PATH</c>, <c>PDF_ENGINE_TIMEOUT_SECONDS</c>, <c>PDF_ENGINE_CONCURRENCY</c>).
/// </summary>
public sealed class ReceiptOptions
{
    /// <summary>Shown when MERCHANT_NAME is unset: visibly a placeholder, so nobody ships it by accident.</summary>
    public const string PlaceholderMerchantName = "Merchant name not set (MERCHANT_NAME)";

    public required Merchant Merchant { get; init; }
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;
    public required string CacheDirectory { get; init; }

    /// <summary>CHROMIUM_PATH as configured; null means "look in the usual places".</summary>
    public string? ChromiumPath { get; init; }

    public TimeSpan EngineTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Chromium renders at once; each uses a few hundred MB and most of a core.</summary>
    public int EngineConcurrency { get; init; } = DefaultConcurrency;

    public static int DefaultConcurrency => Math.Max(1, Environment.ProcessorCount / 2);

    public static ReceiptOptions From(IConfiguration configuration, IHostEnvironment environment)
    {
        var dir = configuration.Value("RECEIPTS_DIR") ?? Path.Combine("data", "receipts");
        if (!Path.IsPathRooted(dir)) dir = Path.Combine(environment.ContentRootPath, dir);
        return new ReceiptOptions
        {
            Merchant = new Merchant(
                configuration.Value("MERCHANT_NAME") ?? PlaceholderMerchantName,
                AddressLines(configuration.Value("MERCHANT_ADDRESS")),
                configuration.Value("MERCHANT_VAT_ID")),
            TimeZone = TimeZoneOf(configuration.Value("RECEIPT_TIME_ZONE")),
            CacheDirectory = Path.GetFullPath(dir),
            ChromiumPath = configuration.Value("CHROMIUM_PATH"),
            EngineTimeout = TimeSpan.FromSeconds(Whole(configuration, "PDF_ENGINE_TIMEOUT_SECONDS", 60, 1, 600)),
            EngineConcurrency = Whole(configuration, "PDF_ENGINE_CONCURRENCY", DefaultConcurrency, 1, 64),
        };
    }

    /// <summary>
    /// Real newlines, or a literal <c>\n</c> as .env files and systemd units tend to carry it;
    /// blank lines are dropped.
    /// </summary>
    public static IReadOnlyList<string> AddressLines(string? address) =>
        address is null
            ? []
            : address.Replace("\\n", "\n", StringComparison.Ordinal)
                .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static TimeZoneInfo TimeZoneOf(string? id)
    {
        if (id is null) return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new InvalidOperationException($"RECEIPT_TIME_ZONE='{id}' is not a time zone this system knows (use an IANA name like Europe/Copenhagen).", e);
        }
    }

    private static int Whole(IConfiguration configuration, string name, int defaultValue, int min, int max)
    {
        var raw = configuration.Value(name);
        if (raw is null) return defaultValue;
        return int.TryParse(raw, out var value) && value >= min && value <= max
            ? value
            : throw new InvalidOperationException($"{name}='{raw}' must be a whole number from {min} to {max}.");
    }
}
