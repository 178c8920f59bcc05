using Payments.Server.Data;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Payments.Providers.PayPal;
using Payments.Server.Tests.Fakes.PayPal;
using Payments.Server.Tests.Support;
using Payments.Tests.TestData;

namespace Payments.Server.Tests.PayPal;

/// <summary>How the service is set up to trust PayPal's webhooks in a fixture.</summary>
public enum PayPalWebhookMode
{
    /// <summary>PAYPAL_WEBHOOK_ID set; PayPal's verify API answers.</summary>
    VerifiedByApi,
    /// <summary>No PAYPAL_WEBHOOK_ID: every delivery is re-fetched from PayPal.</summary>
    Refetched,
    /// <summary>PAYPAL_WEBHOOK_ID of PayPal's real test vector; the verify API is down, so certificates decide;
    /// the service's clock stands in 2020, inside the vector certificate's validity.</summary>
    VerifiedOffline,
}

public interface IPayPalApp
{
    PaymentsApp App { get; }
    FakePayPal PayPal { get; }
}

internal static class PayPalAppSetup
{
    public static readonly DateTimeOffset OfflineNow = new(2020, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static FakePayPal StartFake(PayPalWebhookMode mode, Func<Uri> service)
    {
        var fake = mode == PayPalWebhookMode.VerifiedOffline
            ? FakePayPal.Start(service, PayPalVector.WebhookId)
            : FakePayPal.Start(service);
        fake.VerifyApiDown = mode == PayPalWebhookMode.VerifiedOffline;
        return fake;
    }

    public static IReadOnlyDictionary<string, string?> Settings(FakePayPal fake, PayPalWebhookMode mode)
    {
        var settings = Credentials.Settings(new Dictionary<string, string?>
        {
            ["PAYPAL_CLIENT_ID"] = fake.ClientId,
            ["PAYPAL_CLIENT_SECRET"] = fake.ClientSecret,
            ["PAYPAL_API_BASE"] = fake.BaseAddress.ToString(),
            ["Plans:yen:Name"] = "Yen plan",
            ["Plans:yen:Price"] = "1900 JPY",
            ["Plans:forint:Name"] = "Forint plan",
            ["Plans:forint:Price"] = "1000.00 HUF",
            ["Plans:forint_fils:Name"] = "Forint plan with fillér",
            ["Plans:forint_fils:Price"] = "1000.50 HUF",
        });
        if (mode != PayPalWebhookMode.Refetched) settings["PAYPAL_WEBHOOK_ID"] = fake.WebhookId;
        return settings;
    }

    public static void Services(IServiceCollection services, FakePayPal fake, PayPalWebhookMode mode)
    {
        // Retries in milliseconds so the "API down" path stays quick.
        services.AddSingleton(sp => PayPalOptions.From(sp.GetRequiredService<IConfiguration>()) with { RetryDelay = TimeSpan.FromMilliseconds(5) });
        // Certificates are not fetched from paypal.com in tests: the fake's own, and the one of PayPal's real vector.
        services.AddSingleton<IPayPalCertificateSource>(new KnownPayPalCertificates
        {
            [fake.CertUrl] = fake.Certificate,
            [PayPalVector.CertUrl] = PayPalVector.Certificate,
        });
        if (mode == PayPalWebhookMode.VerifiedOffline) services.AddSingleton<TimeProvider>(new ShiftedClock(OfflineNow));
    }
}

/// <summary>Certificates by URL, and how often each was asked for.</summary>
public sealed class KnownPayPalCertificates : Dictionary<string, X509Certificate2>, IPayPalCertificateSource
{
    public Task<X509Certificate2> GetAsync(Uri certUrl, CancellationToken cancellationToken) =>
        TryGetValue(certUrl.AbsoluteUri, out var certificate)
            ? Task.FromResult(certificate)
            : throw new InvalidOperationException($"The test knows no certificate at {certUrl}.");
}

/// <summary>Real time, moved to another date: time still passes, but the service lives in 2020.</summary>
public sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
{
    private readonly TimeSpan _shift = DateTimeOffset.UtcNow - start;
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() - _shift;
}

/// <summary>PayPal's real delivery from its Java SDK test (tests/TestData/paypal-webhook-vector.json, or the file named by PAYPAL_VECTOR_FILE).</summary>
public static class PayPalVector
{
    private static readonly Lazy<JsonElement> Root = new(() => JsonDocument.Parse(File.ReadAllText(TestVectors.PayPalWebhookPath)).RootElement.Clone());

    public static string WebhookId => Root.Value.GetProperty("webhook_id").GetString()!;
    public static string Body => Root.Value.GetProperty("body").GetString()!;
    public static string CertUrl => Headers["PAYPAL-CERT-URL"];
    public static X509Certificate2 Certificate => X509Certificate2.CreateFromPem(Root.Value.GetProperty("certificate_pem").GetString()!);
    public static IReadOnlyDictionary<string, string> Headers =>
        Root.Value.GetProperty("headers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase);
}

/// <summary>The fake starts before the service (which needs its address) and stops after it.</summary>
public abstract class PayPalApp : AppFixture, IPayPalApp
{
    private readonly PayPalWebhookMode _mode;

    protected PayPalApp(DatabaseKind engine, PayPalWebhookMode mode) : base(engine) =>
        (_mode, PayPal) = (mode, PayPalAppSetup.StartFake(mode, () => App.BaseAddress));

    public FakePayPal PayPal { get; }
    protected override IReadOnlyDictionary<string, string?> Settings => PayPalAppSetup.Settings(PayPal, _mode);
    protected override void ConfigureServices(IServiceCollection services) => PayPalAppSetup.Services(services, PayPal, _mode);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await PayPal.DisposeAsync();
    }
}

public sealed class PayPalSqliteApp_Api() : PayPalApp(DatabaseKind.Sqlite, PayPalWebhookMode.VerifiedByApi);
public sealed class PayPalPostgresApp_Api() : PayPalApp(DatabaseKind.Postgres, PayPalWebhookMode.VerifiedByApi);
public sealed class PayPalSqliteApp_Refetch() : PayPalApp(DatabaseKind.Sqlite, PayPalWebhookMode.Refetched);
public sealed class PayPalPostgresApp_Refetch() : PayPalApp(DatabaseKind.Postgres, PayPalWebhookMode.Refetched);
public sealed class PayPalSqliteApp_Offline() : PayPalApp(DatabaseKind.Sqlite, PayPalWebhookMode.VerifiedOffline);
public sealed class PayPalPostgresApp_Offline() : PayPalApp(DatabaseKind.Postgres, PayPalWebhookMode.VerifiedOffline);
