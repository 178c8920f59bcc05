using System.Collections.Concurrent;
using System.Text;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Payments.Core.Money;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Data.Sql;
using Payments.Server.Features.Payments;
using Payments.Server.Features.Webhooks;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Webhooks;

/// <summary>
/// An effect (<see cref="IPaymentEffects"/>) scripted per payment: writes a <c>test.effect</c> audit row,
/// throws, or writes a row the database refuses (NOT NULL actor), so a test can fail one delivery of a
/// batch in C# or in SQL and watch the others.
/// </summary>
public sealed class ScriptedEffects : IPaymentEffects
{
    public enum Act { Write, Throw, BadRow, ThrowOnce }

    private readonly ConcurrentDictionary<string, Act> _acts = new();

    public ScriptedEffects On(string paymentId, Act act)
    {
        _acts[paymentId] = act;
        return this;
    }

    /// <summary>Payments this effect declares it has nothing to do for; running it for one of them throws.</summary>
    private readonly ConcurrentDictionary<string, bool> _ignored = new();

    public ScriptedEffects Ignore(string paymentId)
    {
        _ignored[paymentId] = true;
        return this;
    }

    public bool AppliesTo(Payment payment, SettlementDecision decision) => !_ignored.ContainsKey(payment.Id);

    public Task ApplyAsync(PaymentsDb db, Payment payment, SettlementDecision decision, DateTimeOffset now, CancellationToken ct)
    {
        if (_ignored.ContainsKey(payment.Id)) throw new InvalidOperationException($"effect run for {payment.Id}, which it said it does not concern");
        var act = _acts.GetValueOrDefault(payment.Id, Act.Write);
        if (act == Act.ThrowOnce) _acts[payment.Id] = Act.Write;
        if (act is Act.Throw or Act.ThrowOnce) throw new InvalidOperationException($"effect refused {payment.Id}");
        db.AuditLog.Add(new AuditEntry
        {
            At = now, Action = "test.effect", PaymentId = payment.Id, Actor = act == Act.BadRow ? null! : "test",
            Data = $"{{\"status\":\"{decision.Status.ToWire()}\"}}",
        });
        return Task.CompletedTask;
    }
}

public static class Batches
{
    /// <summary>A verified dummy success event, as the webhook route hands it to the batcher.</summary>
    public static WebhookDelivery Success(string eventId, string dmId, long amount = 1900) =>
        new("dummy", new ProviderEvent(eventId, "payment.succeeded", ProviderEventKind.PaymentSucceeded,
                ProviderPaymentId: dmId, Amount: new Money(amount, Currency.Of("EUR"))),
            "hmac-sha256", Encoding.UTF8.GetBytes($"{{\"id\":\"{eventId}\",\"payment_id\":\"{dmId}\"}}"));

    /// <summary>Applies deliveries as ONE batch in the running service, with the effects given.</summary>
    internal static async Task<Settled[]> ApplyAsync(PaymentsApp app, IReadOnlyList<WebhookDelivery> deliveries, params IPaymentEffects[] effects) =>
        (await ApplyCountingAsync(app, deliveries, effects)).Settled;

    /// <summary>Same, and how many times the batch sent writes to the database. Null effects: the service's own (credits).</summary>
    internal static async Task<(Settled[] Settled, int Sends)> ApplyCountingAsync(
        PaymentsApp app, IReadOnlyList<WebhookDelivery> deliveries, IReadOnlyList<IPaymentEffects>? effects = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<PaymentsDb>();
        IReadOnlyList<IWebhookHandler> handlers = effects is null
            ? services.GetServices<IWebhookHandler>().ToList()
            : [new PaymentWebhooks(effects, db, services.GetRequiredService<global::Payments.Providers.ProviderRegistry>())];
        var batch = new WebhookBatch(db, SqlDialect.For(services.GetRequiredService<DatabaseChoice>().Kind), TimeProvider.System, handlers);
        var settled = await batch.ApplyAsync(deliveries, CancellationToken.None);
        return (settled, batch.Sends);
    }
}
