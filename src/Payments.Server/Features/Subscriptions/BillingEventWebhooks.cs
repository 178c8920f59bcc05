using Payments.Core.Providers;
using Payments.Providers;
using Payments.Server.Data.Sql;
using Payments.Server.Features.Webhooks;

namespace Payments.Server.Features.Subscriptions;

/// <summary>
/// The webhook handler of subscriptions, invoices and customers (one instance per record type). Nothing in an event's
/// body is believed or applied here: the event is recorded once (the intake's UNIQUE provider + event id) together with
/// a queue row naming its record and customer, in the same savepoint. After the commit the record is fetched from the
/// provider and applied under the customer's lock (<see cref="SubscriptionSync"/>), now or, when the provider cannot be
/// reached, by the worker later. So a duplicate changes nothing, and an old or reordered event only makes us ask again.
/// </summary>
internal sealed class BillingEventWebhooks(WebhookRecordType recordType, SubscriptionSync sync, ProviderRegistry providers) : IWebhookHandler
{
    public WebhookRecordType RecordType => recordType;

    public IWebhookBatchPart Begin(WebhookBatchScope scope) => new Part(scope, recordType, providers);

    public async Task<DeliveryResult> AfterCommitAsync(WebhookDelivery delivery, DeliveryResult result, CancellationToken ct)
    {
        var applied = await sync.TryRunAsync(delivery.Provider, delivery.Event.ProviderCustomerId, delivery.Event.RecordId, ct);
        return applied is { } outcome ? result with { Outcome = outcome } : result;
    }

    private sealed class Part(WebhookBatchScope scope, WebhookRecordType recordType, ProviderRegistry providers) : IWebhookBatchPart
    {
        public Task LoadAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken ct) => Task.CompletedTask;

        public HandledDelivery Plan(WebhookDelivery delivery, DateTimeOffset now)
        {
            var e = delivery.Event;
            // A provider we cannot ask about its records (no subscriptions there): recorded, nothing to apply.
            if (!providers.TryGet<ISubscriptionProvider>(delivery.Provider, out _))
                return new HandledDelivery { Outcome = DeliveryOutcome.Unhandled, Result = new DeliveryResult(DeliveryOutcome.Unhandled) };
            return new HandledDelivery
            {
                Outcome = DeliveryOutcome.Queued,
                RecordId = e.RecordId,
                Writes = [BillingQueueRows.InsertOf(delivery.Provider, e.EventId, e.EventType, recordType.ToWire(), e.RecordId, e.ProviderCustomerId, now, scope.Dialect)],
                Result = new DeliveryResult(DeliveryOutcome.Queued),
            };
        }
    }
}
