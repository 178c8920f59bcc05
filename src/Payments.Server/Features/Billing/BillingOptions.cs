using System.Globalization;
using Payments.Core.Billing;
using Payments.Providers.Common;

namespace Payments.Server.Features.Billing;

/// <summary>
/// Billing settings, by their environment-variable names: the merchant (<c>MERCHANT_COUNTRY</c>, <c>MERCHANT_VAT_ID</c>),
/// VIES (<c>VIES_API_BASE</c>, <c>VIES_TIMEOUT_SECONDS</c>, <c>VIES_RETRY_INITIAL_SECONDS</c>, <c>VIES_RETRY_MAX_SECONDS</c>),
/// VAT rate overrides (<c>VatRates__FI=25.5</c>), the background worker (<c>BILLING_WORKER_ENABLED</c>,
/// <c>BILLING_WORKER_INTERVAL_SECONDS</c>) and the catalog sync at start (<c>CATALOG_SYNC_ON_START</c>).
/// </summary>
public sealed record BillingOptions
{
    public static readonly Uri DefaultViesBase = new("https://ec.europa.eu/taxation_customs/vies/rest-api/");

    /// <summary>Where the merchant is established (ISO 3166-1, "GR" for Greece); null: outside the EU (see <see cref="TaxRules"/>).</summary>
    public string? MerchantCountry { get; init; }

    /// <summary>
    /// The merchant's own EU VAT number, named in every VIES request so that VIES answers with a consultation number.
    /// Null when <c>MERCHANT_VAT_ID</c> is unset or not an EU VAT number (receipts still print it as written).
    /// </summary>
    public VatNumber? Requester { get; init; }

    public Uri ViesApiBase { get; init; } = DefaultViesBase;
    public TimeSpan ViesTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan ViesRetryInitial { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan ViesRetryMax { get; init; } = TimeSpan.FromHours(6);
    public VatRates Rates { get; init; } = VatRates.Default;
    public bool WorkerEnabled { get; init; } = true;
    public TimeSpan WorkerInterval { get; init; } = TimeSpan.FromSeconds(60);
    public bool SyncCatalogOnStart { get; init; } = true;

    /// <summary>Customers the worker takes per round (VIES checks, provider pushes).</summary>
    public int BatchSize { get; init; } = 50;

    public static BillingOptions From(IConfiguration configuration)
    {
        var vatId = configuration.Value("MERCHANT_VAT_ID");
        var requester = VatNumber.TryParse(vatId, null, out var parsed, out _) ? parsed : null;
        var country = configuration.Value("MERCHANT_COUNTRY")?.ToUpperInvariant();
        if (country is not null && !Countries.IsAssigned(country))
            throw new InvalidOperationException(
                $"MERCHANT_COUNTRY='{configuration.Value("MERCHANT_COUNTRY")}' is not an ISO 3166-1 country code (e.g. DK; Greece is GR).");
        return new BillingOptions
        {
            // Unset, a merchant whose VAT number is an EU one is established where that number is from.
            MerchantCountry = country ?? requester?.Country,
            Requester = requester,
            ViesApiBase = configuration.ApiBaseUrl("VIES_API_BASE") ?? DefaultViesBase,
            ViesTimeout = configuration.Seconds("VIES_TIMEOUT_SECONDS", 10, 1, 120),
            ViesRetryInitial = configuration.Seconds("VIES_RETRY_INITIAL_SECONDS", 60, 0, 86_400),
            ViesRetryMax = configuration.Seconds("VIES_RETRY_MAX_SECONDS", 21_600, 1, 7 * 86_400),
            Rates = VatRates.Default.With(configuration.GetSection("VatRates").GetChildren().Select(c => KeyValuePair.Create(c.Key, c.Value))),
            WorkerEnabled = configuration.Flag("BILLING_WORKER_ENABLED", true),
            WorkerInterval = configuration.Seconds("BILLING_WORKER_INTERVAL_SECONDS", 60, 1, 86_400),
            SyncCatalogOnStart = configuration.Flag("CATALOG_SYNC_ON_START", true),
        };
    }
}
