using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Payments.Server.Data;
using Payments.Server.Tests.Fakes.PayPal;
using Payments.Server.Tests.Fakes.Stripe;
using Payments.Server.Tests.PayPal;
using Payments.Server.Tests.Stripe;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Fuzz;

/// <summary>The records hostile input aims at: real ids of payments in every state that matters.</summary>
/// <param name="Dummy">Pending, paid and partly refunded dummy payments: (our id, dm_ id).</param>
public sealed record FuzzTargets(
    IReadOnlyList<(string PaymentId, string ProviderId)> Dummy,
    IReadOnlyList<(string PaymentId, string SessionId, string? IntentId)> Stripe,
    IReadOnlyList<(string PaymentId, string OrderId, string? CaptureId)> PayPal)
{
    public IEnumerable<string> PaymentIds => Dummy.Select(d => d.PaymentId).Concat(Stripe.Select(s => s.PaymentId)).Concat(PayPal.Select(p => p.PaymentId));
}

/// <summary>
/// One service with every provider on (the dummy, Stripe and PayPal against their fakes, PayPal
/// verified through its API, or without a webhook id: re-fetched), JWT and an admin key, and a few
/// payments in each state for the hostile input to aim at (made once, on first use).
/// </summary>
public abstract class FuzzApp : AppFixture
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly PayPalWebhookMode _paypalMode;
    private FuzzTargets? _targets;

    protected FuzzApp(DatabaseKind engine, PayPalWebhookMode paypalMode = PayPalWebhookMode.VerifiedByApi) : base(engine)
    {
        _paypalMode = paypalMode;
        Stripe = FakeStripe.Start(() => App.BaseAddress);
        PayPal = PayPalAppSetup.StartFake(paypalMode, () => App.BaseAddress);
    }

    public FakeStripe Stripe { get; }
    public FakePayPal PayPal { get; }

    protected override IReadOnlyDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>(StripeAppSettings.For(Stripe));
            foreach (var (key, value) in PayPalAppSetup.Settings(PayPal, _paypalMode)) settings[key] = value;
            return settings;
        }
    }

    /// <summary>What the service logged as errors: a 500 is reported with the exception behind it.</summary>
    public ServerErrors Errors { get; } = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        PayPalAppSetup.Services(services, PayPal, _paypalMode);
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Errors);
    }

    public async Task<FuzzTargets> TargetsAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _targets ??= await SeedAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
        await PayPal.DisposeAsync();
    }

    private async Task<FuzzTargets> SeedAsync()
    {
        using var guest = App.Client();
        using var admin = App.Client().As(Credentials.AdminKey);
        using var buyer = App.Client().As(Credentials.Jwt("fuzz-buyer"));

        async Task<JsonElement> Intent(HttpClient client, object body)
        {
            var response = await client.PostJson("/api/v1/payment/create-intent", body);
            var json = await response.Body();
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"create-intent {body}: {json}");
            return json;
        }

        var dummy = new List<(string, string)>();
        foreach (var (client, body) in new (HttpClient, object)[] { (guest, new { plan = "basic" }), (guest, new { plan = "pro" }), (buyer, new { credits = 1500 }) })
        {
            var intent = await Intent(client, body);
            dummy.Add((intent.Str("payment_id"), intent.Str("provider_payment_id")));
        }
        // The second is paid and partly refunded, the third (credits) paid: the ledger has entries.
        foreach (var (_, dmId) in dummy.Skip(1)) await guest.PayDummy(dmId);
        var refund = await admin.PostJson("/api/v1/payment/refund", new { payment_id = dummy[1].Item1, amount = 500 });
        if (refund.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException("seed refund: " + await refund.Content.ReadAsStringAsync());

        var stripe = new List<(string, string, string?)>();
        for (var i = 0; i < 2; i++)
        {
            var intent = await Intent(guest, new { plan = "basic", provider = "stripe" });
            var sessionId = intent.Str("provider_payment_id");
            string? intentId = null;
            if (i == 1)
            {
                foreach (var e in Stripe.Pay(sessionId)) await Stripe.DeliverAsync(e);
                intentId = Stripe.IntentIdOf(sessionId);
            }
            stripe.Add((intent.Str("payment_id"), sessionId, intentId));
        }

        var paypal = new List<(string, string, string?)>();
        for (var i = 0; i < 2; i++)
        {
            var intent = await Intent(guest, new { plan = "basic", provider = "paypal" });
            var orderId = intent.Str("provider_payment_id");
            string? captureId = null;
            if (i == 1)
            {
                PayPal.Approve(orderId);
                var captured = await guest.PostAsync($"/api/v1/payment/capture/paypal/{orderId}", null);
                if (captured.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException("seed capture: " + await captured.Content.ReadAsStringAsync());
                captureId = PayPal.State.CaptureOf(orderId).Id;
            }
            paypal.Add((intent.Str("payment_id"), orderId, captureId));
        }
        return new FuzzTargets(dummy, stripe, paypal);
    }
}

public sealed class FuzzSqliteApp() : FuzzApp(DatabaseKind.Sqlite);

public sealed class FuzzPostgresApp() : FuzzApp(DatabaseKind.Postgres);

public sealed class FuzzRefetchSqliteApp() : FuzzApp(DatabaseKind.Sqlite, PayPalWebhookMode.Refetched);

public sealed class FuzzRefetchPostgresApp() : FuzzApp(DatabaseKind.Postgres, PayPalWebhookMode.Refetched);
