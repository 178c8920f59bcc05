using Payments.Server.Data;
using Payments.Server.Tests.Stripe;

namespace Payments.Server.Tests.Wallets;

/// <summary>
/// The service with Stripe (against its fake) and both wallets switched on: Google Pay in Google's TEST
/// environment, Apple Pay on shop.example.com with the fake Stripe's domain association file on disk.
/// </summary>
public abstract class WalletApp : StripeApp
{
    public const string Domain = "shop.example.com";
    public const string GoogleMerchantId = "BCR2DN4TEST0WALLET";

    private readonly string _associationFile = Path.GetTempFileName();

    protected WalletApp(DatabaseKind engine) : base(engine) => File.WriteAllText(_associationFile, Stripe.DomainAssociationFile);

    protected override IReadOnlyDictionary<string, string?> Settings => WithWallets(base.Settings, _associationFile);

    internal static Dictionary<string, string?> WithWallets(IReadOnlyDictionary<string, string?> stripe, string associationFile) =>
        new(stripe)
        {
            ["GOOGLE_PAY_ENABLED"] = "true",
            ["GOOGLE_PAY_MERCHANT_ID"] = GoogleMerchantId,
            ["APPLE_PAY_ENABLED"] = "true",
            ["APPLE_PAY_DOMAIN_NAME"] = Domain,
            ["APPLE_PAY_DOMAIN_ASSOCIATION_FILE"] = associationFile,
            ["STRIPE_ACCOUNT_COUNTRY"] = "DK",
            ["MERCHANT_NAME"] = "Wallet Shop ApS",
        };

    public string AssociationFile => _associationFile;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(_associationFile);
    }
}

public sealed class WalletSqliteApp() : WalletApp(DatabaseKind.Sqlite);

public sealed class WalletPostgresApp() : WalletApp(DatabaseKind.Postgres);
