using System.Globalization;

namespace Payments.Providers.Wallets;

/// <summary>The wallets a card charge can name (Stripe's <c>payment_method_details.card.wallet.type</c>), as people call them.</summary>
public static class WalletTypes
{
    public static string DisplayName(string type) => type switch
    {
        "google_pay" => "Google Pay",
        "apple_pay" => "Apple Pay",
        "samsung_pay" => "Samsung Pay",
        "amex_express_checkout" => "Amex Express Checkout",
        "visa_checkout" => "Visa Checkout",
        "masterpass" => "Masterpass",
        "link" => "Link",
        // One Stripe adds later: its own words, readable.
        _ => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(type.Replace('_', ' ')),
    };
}
