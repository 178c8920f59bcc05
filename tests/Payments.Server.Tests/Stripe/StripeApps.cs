using Payments.Server.Data;
using Payments.Server.Tests.Fakes.Stripe;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Stripe;

/// <summary>The service with Stripe enabled against its own fake Stripe, plus a JPY plan.</summary>
internal static class StripeAppSettings
{
    public static IReadOnlyDictionary<string, string?> For(FakeStripe stripe) => Credentials.Settings(new Dictionary<string, string?>
    {
        ["STRIPE_SECRET_KEY"] = stripe.SecretKey,
        ["STRIPE_PUBLISHABLE_KEY"] = "pk_test_fake",
        ["STRIPE_WEBHOOK_SECRET"] = stripe.WebhookSecret,
        ["STRIPE_API_BASE"] = stripe.BaseAddress.ToString(),
        ["Plans:yen:Name"] = "Yen plan",
        ["Plans:yen:Price"] = "1900 JPY",
    });
}

/// <summary>The fake starts before the service (which needs its address) and stops after it.</summary>
public abstract class StripeApp : AppFixture, IStripeApp
{
    protected StripeApp(DatabaseKind engine) : base(engine) => Stripe = FakeStripe.Start(() => App.BaseAddress);

    public FakeStripe Stripe { get; }
    protected override IReadOnlyDictionary<string, string?> Settings => StripeAppSettings.For(Stripe);

    /// <summary>Every request the service sent (through Stripe.net) passed the fake's checks, in every test of the class.</summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        var violations = Stripe.Violations.ToList();
        await Stripe.DisposeAsync();
        if (violations.Count > 0)
            throw new InvalidOperationException($"The fake Stripe refused malformed requests:\n{string.Join("\n", violations)}");
    }
}

public sealed class StripeSqliteApp() : StripeApp(DatabaseKind.Sqlite);

public sealed class StripePostgresApp() : StripeApp(DatabaseKind.Postgres);
