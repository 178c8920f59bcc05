namespace Payments.Server.Features.Receipts;

/// <summary>
/// How providers are named to people, in one table. A receipt names the company that took the money
/// ("Stripe"); the storefront's choice may say more about what the buyer will be asked for
/// ("Card (Stripe)"), so each provider has both forms. Unknown names are shown capitalised.
/// </summary>
internal static class ProviderNames
{
    private static readonly Dictionary<string, (string Name, string Choice)> Known = new(StringComparer.Ordinal)
    {
        ["dummy"] = ("Dummy", "Dummy provider (test, no money moves)"),
        ["stripe"] = ("Stripe", "Card (Stripe)"),
        ["paypal"] = ("PayPal", "PayPal"),
        ["mobilepay"] = ("MobilePay", "MobilePay"),
        ["googlepay"] = ("Google Pay", "Google Pay"),
        ["applepay"] = ("Apple Pay", "Apple Pay"),
    };

    /// <summary>The provider as a receipt names it: "Stripe", "PayPal".</summary>
    public static string Name(string provider) => Known.TryGetValue(provider, out var names) ? names.Name : Capitalised(provider);

    /// <summary>The provider as a payment option on the storefront: "Card (Stripe)".</summary>
    public static string Choice(string provider) => Known.TryGetValue(provider, out var names) ? names.Choice : Capitalised(provider);

    private static string Capitalised(string provider) =>
        provider.Length > 0 ? char.ToUpperInvariant(provider[0]) + provider[1..] : provider;
}
