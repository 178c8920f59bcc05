using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Payments.Providers.Common;

namespace Payments.Providers.MobilePay;

/// <summary>Vipps MobilePay settings (ePayment API v1), read by their environment-variable names.</summary>
public sealed partial record MobilePayOptions
{
    public static readonly Uri TestBase = new("https://apitest.vipps.no/");
    public static readonly Uri ProductionBase = new("https://api.vipps.no/");

    /// <summary><c>MOBILEPAY_CLIENT_ID</c>: the sales unit's client id. Setting it switches MobilePay on.</summary>
    public string? ClientId { get; init; }

    /// <summary><c>MOBILEPAY_CLIENT_SECRET</c>.</summary>
    public string? ClientSecret { get; init; }

    /// <summary><c>MOBILEPAY_SUBSCRIPTION_KEY</c>: the <c>Ocp-Apim-Subscription-Key</c> every call carries.</summary>
    public string? SubscriptionKey { get; init; }

    /// <summary><c>MOBILEPAY_MERCHANT_SERIAL_NUMBER</c>: the sales unit (MSN) payments are made to.</summary>
    public string? MerchantSerialNumber { get; init; }

    /// <summary>
    /// <c>MOBILEPAY_WEBHOOK_SECRET</c> (optional): the secret of a webhook registered by other tooling.
    /// Webhooks registered with <c>payments-cli mobilepay register-webhook</c> keep theirs in the database.
    /// </summary>
    public string? WebhookSecret { get; init; }

    /// <summary><c>MOBILEPAY_API_BASE</c>: the test environment unless set (production is https://api.vipps.no).</summary>
    public Uri ApiBase { get; init; } = TestBase;

    /// <summary>True when MobilePay is switched on: a client id is set, or it is the default provider.</summary>
    public bool Enabled { get; init; }

    /// <summary>Variables MobilePay needs and that are absent.</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>Real money: the production API. The test environment and a fake on loopback are not.</summary>
    public bool Live => ApiBase.Host.Equals(ProductionBase.Host, StringComparison.OrdinalIgnoreCase);

    /// <summary>How far <c>x-ms-date</c> may be from our clock, either way, before a delivery is refused as replayed or forged.</summary>
    public TimeSpan WebhookTolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one HTTP call may take before the outcome counts as unknown.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>First pause before retrying a network error, timeout, 409 or 5xx; doubles each time, with jitter.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Attempts per call. Every mutating call carries an Idempotency-Key, so a retry cannot act twice.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>
    /// The <c>Vipps-System-*</c> headers: who is calling. Vipps asks every integration to send them
    /// (at most 30 characters each) so its support can tell integrations apart.
    /// </summary>
    public string SystemName { get; init; } = "payments";
    public string SystemVersion { get; init; } = Version;
    public string PluginName { get; init; } = "payments-mobilepay";
    public string PluginVersion { get; init; } = Version;

    private static string Version => typeof(MobilePayOptions).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";

    public static MobilePayOptions From(IConfiguration configuration)
    {
        var enabled = configuration.ProviderEnabled(MobilePayProvider.ProviderName, "MOBILEPAY_CLIENT_ID");
        var msn = configuration.Value("MOBILEPAY_MERCHANT_SERIAL_NUMBER");
        if (msn is not null && !Msn().IsMatch(msn))
            throw new InvalidOperationException($"MOBILEPAY_MERCHANT_SERIAL_NUMBER='{msn}' is not a merchant serial number (4 to 10 digits).");
        return new MobilePayOptions
        {
            ClientId = configuration.Value("MOBILEPAY_CLIENT_ID"),
            ClientSecret = configuration.Value("MOBILEPAY_CLIENT_SECRET"),
            SubscriptionKey = configuration.Value("MOBILEPAY_SUBSCRIPTION_KEY"),
            MerchantSerialNumber = msn,
            WebhookSecret = configuration.Value("MOBILEPAY_WEBHOOK_SECRET"),
            ApiBase = configuration.ApiBaseUrl("MOBILEPAY_API_BASE") ?? TestBase,
            Enabled = enabled,
            Missing = enabled
                ? configuration.Missing("MOBILEPAY_CLIENT_ID", "MOBILEPAY_CLIENT_SECRET", "MOBILEPAY_SUBSCRIPTION_KEY", "MOBILEPAY_MERCHANT_SERIAL_NUMBER")
                : [],
        };
    }

    [GeneratedRegex("^[0-9]{4,10}$")]
    private static partial Regex Msn();
}
