using Microsoft.Extensions.Configuration;
using Payments.Providers.Common;
using Payments.Providers.Stripe;

namespace Payments.Providers.Wallets;

/// <summary>What every wallet needs from Stripe, checked when its settings are read.</summary>
internal static class WalletSettings
{
    /// <summary>A wallet switched on without Stripe cannot take a single payment: one line that says so.</summary>
    public static void RequireStripe(string enabledVariable, string wallet, StripeOptions stripe)
    {
        if (!stripe.Enabled)
            throw new InvalidOperationException(
                $"{enabledVariable}=true needs Stripe, which charges {wallet} tokens: set {StripeOptions.SecretKeyVariable} and " +
                $"{StripeOptions.WebhookSecretVariable} (and {StripeOptions.PublishableKeyVariable}), or switch {wallet} off.");
    }

    public const string CountryVariable = "STRIPE_ACCOUNT_COUNTRY";

    /// <summary>
    /// <c>STRIPE_ACCOUNT_COUNTRY</c> (default US): the Stripe account's country, which Stripe.js's Payment Request
    /// and Google Pay's <c>transactionInfo.countryCode</c> ask for.
    /// </summary>
    public static string Country(IConfiguration configuration)
    {
        var country = (configuration.Value(CountryVariable) ?? "US").ToUpperInvariant();
        return country.Length == 2 && country.All(char.IsAsciiLetterUpper)
            ? country
            : throw new InvalidOperationException($"{CountryVariable}='{configuration.Value(CountryVariable)}' must be a two-letter country code such as US or DK.");
    }

    /// <summary>Wallet buttons tokenize with Stripe's publishable key (Google Pay's gateway parameters, Stripe.js for Apple Pay).</summary>
    public static IReadOnlyList<string> MissingStripeSettings(IConfiguration configuration) =>
        configuration.Missing(StripeOptions.PublishableKeyVariable);
}
