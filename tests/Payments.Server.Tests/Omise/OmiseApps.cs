using Payments.Server.Data;
using Payments.Server.Tests.Fakes.Omise;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Omise;

public interface IOmiseApp
{
    PaymentsApp App { get; }
    FakeOmise Omise { get; }

    /// <summary>True when OMISE_WEBHOOK_SECRET is set (deliveries signed and verified); false: every delivery is re-fetched only.</summary>
    bool Signed { get; }
}

/// <summary>The service beside a fake Omise; the fake starts first (the service needs its address) and stops last.</summary>
public abstract class OmiseApp : AppFixture, IOmiseApp
{
    protected OmiseApp(DatabaseKind engine, bool signed) : base(engine) =>
        (Signed, Omise) = (signed, FakeOmise.Start(() => App.BaseAddress, signed));

    public FakeOmise Omise { get; }
    public bool Signed { get; }

    protected override IReadOnlyDictionary<string, string?> Settings
    {
        get
        {
            var settings = Credentials.Settings(new Dictionary<string, string?>
            {
                ["OMISE_SECRET_KEY"] = Omise.SecretKey,
                ["OMISE_PUBLIC_KEY"] = Omise.PublicKey,
                ["OMISE_API_BASE"] = Omise.BaseAddress.ToString(),
                ["Plans:baht:Name"] = "Baht plan",
                ["Plans:baht:Price"] = "1900.00 THB",
            });
            if (Signed) settings["OMISE_WEBHOOK_SECRET"] = Omise.WebhookSecret;
            return settings;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Omise.DisposeAsync();
    }
}

public sealed class OmiseSqliteApp_Signed() : OmiseApp(DatabaseKind.Sqlite, signed: true);
public sealed class OmisePostgresApp_Signed() : OmiseApp(DatabaseKind.Postgres, signed: true);
public sealed class OmiseSqliteApp_Refetch() : OmiseApp(DatabaseKind.Sqlite, signed: false);
public sealed class OmisePostgresApp_Refetch() : OmiseApp(DatabaseKind.Postgres, signed: false);
