using Microsoft.Extensions.Configuration;
using Payments.Providers.Common;
using Payments.Providers.Stripe;

namespace Payments.Providers.Wallets;

/// <summary>Google Pay through Stripe: <c>GOOGLE_PAY_ENABLED</c>, <c>GOOGLE_PAY_MERCHANT_ID</c>, <c>GOOGLE_PAY_ENVIRONMENT</c>.</summary>
public sealed record GooglePayOptions
{
    public const string EnabledVariable = "GOOGLE_PAY_ENABLED";
    public const string MerchantIdVariable = "GOOGLE_PAY_MERCHANT_ID";
    public const string EnvironmentVariable = "GOOGLE_PAY_ENVIRONMENT";

    public bool Enabled { get; init; }

    /// <summary>Google's merchant id (Google Pay &amp; Wallet Console); Google requires it in <c>PRODUCTION</c>.</summary>
    public string? MerchantId { get; init; }

    /// <summary><c>TEST</c> (Google's test cards, any merchant id) or <c>PRODUCTION</c> (real cards).</summary>
    public string Environment { get; init; } = "TEST";

    /// <summary><c>STRIPE_ACCOUNT_COUNTRY</c>: Google Pay's <c>transactionInfo.countryCode</c>.</summary>
    public string Country { get; init; } = "US";

    public IReadOnlyList<string> MissingSettings { get; init; } = [];

    public static GooglePayOptions From(IConfiguration configuration, StripeOptions stripe)
    {
        if (!configuration.Flag(EnabledVariable, false)) return new GooglePayOptions();
        WalletSettings.RequireStripe(EnabledVariable, "Google Pay", stripe);
        var environment = (configuration.Value(EnvironmentVariable) ?? "TEST").ToUpperInvariant();
        if (environment is not ("TEST" or "PRODUCTION"))
            throw new InvalidOperationException($"{EnvironmentVariable}='{configuration.Value(EnvironmentVariable)}' must be TEST or PRODUCTION.");
        // Google's TEST environment hands out tokens of test cards, which a live Stripe account refuses.
        if (environment == "TEST" && stripe.Live)
            throw new InvalidOperationException(
                $"{EnvironmentVariable} is TEST (the default) beside live Stripe keys: Google Pay's test tokens cannot be charged in live mode. Set {EnvironmentVariable}=PRODUCTION.");
        var merchantId = configuration.Value(MerchantIdVariable);
        var missing = new List<string>(WalletSettings.MissingStripeSettings(configuration));
        if (environment == "PRODUCTION" && merchantId is null) missing.Add(MerchantIdVariable);
        return new GooglePayOptions
        {
            Enabled = true, MerchantId = merchantId, Environment = environment, MissingSettings = missing,
            Country = WalletSettings.Country(configuration),
        };
    }
}
