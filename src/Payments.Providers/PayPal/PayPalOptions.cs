using Microsoft.Extensions.Configuration;
using Payments.Providers.Common;

namespace Payments.Providers.PayPal;

/// <summary>PayPal settings, read by the environment-variable names seed 000 uses.</summary>
public sealed record PayPalOptions
{
    public static readonly Uri SandboxBase = new("https://api-m.sandbox.paypal.com/");
    public static readonly Uri LiveBase = new("https://api-m.paypal.com/");

    /// <summary><c>PAYPAL_CLIENT_ID</c>: the REST app's client id. Setting it switches PayPal on.</summary>
    public string? ClientId { get; init; }

    /// <summary><c>PAYPAL_CLIENT_SECRET</c>: required once PayPal is on.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>
    /// <c>PAYPAL_WEBHOOK_ID</c>: the id of our webhook in PayPal's dashboard. Without it a delivery
    /// cannot be verified, so it is not trusted: the order or capture is fetched from PayPal instead.
    /// </summary>
    public string? WebhookId { get; init; }

    /// <summary>True when <c>PAYPAL_MODE=live</c> (default sandbox).</summary>
    public bool Live { get; init; }

    /// <summary>Where the REST API lives: from <c>PAYPAL_MODE</c>, or <c>PAYPAL_API_BASE</c> (tests point it at a fake).</summary>
    public Uri ApiBase { get; init; } = SandboxBase;

    /// <summary>True when PayPal is switched on: a client id is set, or it is the default provider.</summary>
    public bool Enabled { get; init; }

    /// <summary>Variables PayPal needs and that are absent.</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>How long one HTTP call may take before the outcome counts as unknown.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>First pause before retrying a network error, timeout, 409 or 5xx; doubles each time, with jitter.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Attempts per call (retried: network errors, timeouts, 409 and 5xx; every mutating POST carries a PayPal-Request-Id, so a retry cannot act twice).</summary>
    public int MaxAttempts { get; init; } = 3;

    public static PayPalOptions From(IConfiguration configuration)
    {
        var clientId = configuration.Value("PAYPAL_CLIENT_ID");
        var live = configuration.Value("PAYPAL_MODE")?.ToLowerInvariant() switch
        {
            null or "sandbox" => false,
            "live" => true,
            var other => throw new InvalidOperationException($"PAYPAL_MODE='{other}' is not sandbox or live."),
        };
        var apiBase = configuration.ApiBaseUrl("PAYPAL_API_BASE") ?? (live ? LiveBase : SandboxBase);
        var enabled = configuration.ProviderEnabled(PayPalProvider.ProviderName, "PAYPAL_CLIENT_ID");
        return new PayPalOptions
        {
            ClientId = clientId,
            ClientSecret = configuration.Value("PAYPAL_CLIENT_SECRET"),
            WebhookId = configuration.Value("PAYPAL_WEBHOOK_ID"),
            Live = live,
            ApiBase = apiBase,
            Enabled = enabled,
            Missing = enabled ? configuration.Missing("PAYPAL_CLIENT_ID", "PAYPAL_CLIENT_SECRET") : [],
        };
    }
}
