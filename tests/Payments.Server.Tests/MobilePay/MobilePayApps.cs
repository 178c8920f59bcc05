using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Payments.Providers.MobilePay;
using Payments.Server.Data;
using Payments.Server.Tests.Fakes.MobilePay;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.MobilePay;

public interface IMobilePayApp
{
    PaymentsApp App { get; }
    FakeMobilePay MobilePay { get; }

    /// <summary>The service's webhook, registered at the fake once (its secret stored by the service).</summary>
    Task WebhookRegistered();
}

/// <summary>The service with Vipps MobilePay pointed at a fake on loopback; the fake starts first (the service needs its address) and stops last.</summary>
public abstract class MobilePayApp(DatabaseKind engine) : AppFixture(engine), IMobilePayApp
{
    private Task? _registered;

    public FakeMobilePay MobilePay { get; } = FakeMobilePay.Start();

    public Uri WebhookUrl => new(App.BaseAddress, "api/v1/payment/webhook/mobilepay");

    public Task WebhookRegistered() =>
        _registered ??= App.Get<MobilePayProvider>().RegisterWebhookAsync(WebhookUrl, CancellationToken.None);

    /// <summary>The service's settings (the CLI runs with them too).</summary>
    public IReadOnlyDictionary<string, string?> ServiceSettings => Settings;

    protected override IReadOnlyDictionary<string, string?> Settings => Credentials.Settings(new Dictionary<string, string?>
    {
        ["MOBILEPAY_CLIENT_ID"] = MobilePay.ClientId,
        ["MOBILEPAY_CLIENT_SECRET"] = MobilePay.ClientSecret,
        ["MOBILEPAY_SUBSCRIPTION_KEY"] = MobilePay.SubscriptionKey,
        ["MOBILEPAY_MERCHANT_SERIAL_NUMBER"] = MobilePay.Msn,
        ["MOBILEPAY_API_BASE"] = MobilePay.BaseAddress.ToString(),
        ["Plans:kroner:Name"] = "Kroner plan",
        ["Plans:kroner:Price"] = "499.00 NOK",
        ["Plans:dollars:Name"] = "Dollar plan",
        ["Plans:dollars:Price"] = "19.00 USD",
    });

    // Retries in milliseconds, so "Vipps is down" stays quick.
    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton(sp => MobilePayOptions.From(sp.GetRequiredService<IConfiguration>()) with { RetryDelay = TimeSpan.FromMilliseconds(5) });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await MobilePay.DisposeAsync();
    }
}

public sealed class MobilePaySqliteApp() : MobilePayApp(DatabaseKind.Sqlite);
public sealed class MobilePayPostgresApp() : MobilePayApp(DatabaseKind.Postgres);
