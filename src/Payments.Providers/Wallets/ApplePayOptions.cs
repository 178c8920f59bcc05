using Microsoft.Extensions.Configuration;
using Payments.Providers.Common;
using Payments.Providers.Stripe;

namespace Payments.Providers.Wallets;

/// <summary>
/// Apple Pay through Stripe: <c>APPLE_PAY_ENABLED</c>, <c>APPLE_PAY_DOMAIN_NAME</c> (the storefront's
/// host, registered with Stripe) and <c>APPLE_PAY_DOMAIN_ASSOCIATION_FILE</c> (the file Stripe gives
/// you, served at <c>/.well-known/apple-developer-merchantid-domain-association</c> so Apple can check
/// the domain). The file is read once, at start: a missing one stops start-up instead of failing
/// Apple's check weeks later.
/// </summary>
public sealed record ApplePayOptions
{
    public const string EnabledVariable = "APPLE_PAY_ENABLED";
    public const string DomainNameVariable = "APPLE_PAY_DOMAIN_NAME";
    public const string DomainAssociationFileVariable = "APPLE_PAY_DOMAIN_ASSOCIATION_FILE";

    /// <summary>Where Apple (through Stripe) looks for the domain association file.</summary>
    public const string DomainAssociationPath = "/.well-known/apple-developer-merchantid-domain-association";

    public bool Enabled { get; init; }

    /// <summary>The host the storefront is served on (<c>shop.example.com</c>): no scheme, port or path.</summary>
    public string? DomainName { get; init; }

    /// <summary>The domain association file's content, served as it is.</summary>
    public string? DomainAssociation { get; init; }

    /// <summary><c>STRIPE_ACCOUNT_COUNTRY</c>: Stripe.js's Payment Request asks for the account's country.</summary>
    public string Country { get; init; } = "US";

    public IReadOnlyList<string> MissingSettings { get; init; } = [];

    /// <param name="contentRoot">Relative file paths are under it, like the service's other files.</param>
    public static ApplePayOptions From(IConfiguration configuration, StripeOptions stripe, string contentRoot)
    {
        if (!configuration.Flag(EnabledVariable, false)) return new ApplePayOptions();
        WalletSettings.RequireStripe(EnabledVariable, "Apple Pay", stripe);
        var missing = new List<string>(WalletSettings.MissingStripeSettings(configuration));
        var domain = configuration.Value(DomainNameVariable);
        if (domain is null) missing.Add(DomainNameVariable);
        else if (Uri.CheckHostName(domain) != UriHostNameType.Dns || !domain.Contains('.'))
            throw new InvalidOperationException($"{DomainNameVariable}='{domain}' must be a host name such as shop.example.com (no scheme, port or path).");
        var file = configuration.Value(DomainAssociationFileVariable);
        if (file is null) missing.Add(DomainAssociationFileVariable);
        return new ApplePayOptions
        {
            Enabled = true,
            DomainName = domain?.ToLowerInvariant(),
            DomainAssociation = file is null ? null : Read(Path.IsPathRooted(file) ? file : Path.Combine(contentRoot, file), file),
            MissingSettings = missing,
            Country = WalletSettings.Country(configuration),
        };
    }

    private static string Read(string path, string configured)
    {
        string content;
        try
        {
            content = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{DomainAssociationFileVariable}='{configured}' cannot be read: {e.Message}", e);
        }
        return content.Trim().Length == 0
            ? throw new InvalidOperationException($"{DomainAssociationFileVariable}='{configured}' is empty; download the file from Stripe's Dashboard.")
            : content;
    }
}
