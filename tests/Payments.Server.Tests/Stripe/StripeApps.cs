using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Payments.Providers.Stripe;
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

    /// <summary>Backoff in milliseconds, not seconds, so retry tests stay quick.</summary>
    public static void FastRetries(IServiceCollection services) =>
        services.AddSingleton(sp => StripeOptions.From(sp.GetRequiredService<IConfiguration>()) with
        {
            InitialRetryDelay = TimeSpan.FromMilliseconds(5),
            MaxRetryDelay = TimeSpan.FromMilliseconds(20),
        });
}

/// <summary>The fake starts before the service (which needs its address) and stops after it.</summary>
public abstract class StripeApp : AppFixture, IStripeApp
{
    protected StripeApp(DatabaseKind engine) : base(engine) => Stripe = FakeStripe.Start(() => App.BaseAddress);

    public FakeStripe Stripe { get; }
    protected override IReadOnlyDictionary<string, string?> Settings => StripeAppSettings.For(Stripe);
    protected override void ConfigureServices(IServiceCollection services) => StripeAppSettings.FastRetries(services);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
    }
}

public sealed class StripeSqliteApp() : StripeApp(DatabaseKind.Sqlite);

public sealed class StripePostgresApp() : StripeApp(DatabaseKind.Postgres);
