using Payments.Server.Data;
using Payments.Server.Tests.Fakes.Stripe;
using Payments.Server.Tests.Fakes.Vies;
using Payments.Server.Tests.Stripe;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Billing;

/// <summary>
/// The service with the dummy and Stripe (a fake Stripe) as billing providers and a fake VIES, the merchant in Denmark
/// (DK12345678). Tests run the catalog sync and the billing worker themselves (neither runs on its own here), and a
/// VIES failure is asked about again at the worker's next round (no initial wait).
/// </summary>
public abstract class BillingApp : AppFixture, IStripeApp
{
    public const string MerchantVatId = "DK12345678";

    protected BillingApp(DatabaseKind engine) : base(engine) => Stripe = FakeStripe.Start(() => App.BaseAddress);

    public FakeStripe Stripe { get; }
    public FakeVies Vies { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(StripeAppSettings.For(Stripe))
    {
        ["VIES_API_BASE"] = Vies.BaseAddress.ToString(),
        ["MERCHANT_VAT_ID"] = MerchantVatId,
        ["MERCHANT_COUNTRY"] = "DK",
        ["VIES_RETRY_INITIAL_SECONDS"] = "0",
        ["BILLING_WORKER_ENABLED"] = "false",
        ["CATALOG_SYNC_ON_START"] = "false",
        // Subscriptions: tests run the worker's rounds themselves; every subscription is due for the sweep, retries after a second.
        ["SUBSCRIPTION_WORKER_ENABLED"] = "false",
        ["SUBSCRIPTION_WORKER_INTERVAL_SECONDS"] = "1",
        ["SUBSCRIPTION_RESYNC_AFTER_SECONDS"] = "0",
    };

    /// <summary>Every request the service sent passed the fakes' checks, in every test of the class.</summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        var violations = Stripe.Violations.Concat(Vies.Violations.Select(v => "VIES: " + v)).ToList();
        await Stripe.DisposeAsync();
        await Vies.DisposeAsync();
        if (violations.Count > 0)
            throw new InvalidOperationException($"The fakes refused malformed requests:\n{string.Join("\n", violations)}");
    }
}

public sealed class BillingSqliteApp() : BillingApp(DatabaseKind.Sqlite);

public sealed class BillingPostgresApp() : BillingApp(DatabaseKind.Postgres);
