using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Data.Sql;
using Payments.Server.Features.Webhooks;

namespace Payments.Server.Features.Payments;

/// <summary>
/// The payments feature's webhook handler: an event about a one-off payment (a success, failure,
/// cancel, expiry or refunded total) is decided by Core's <see cref="Settlement"/> on the payment's
/// current state — the same rules verify and capture use — and written with its audit rows and the
/// <see cref="IPaymentEffects"/> (credits) in the delivery's savepoint.
/// </summary>
internal sealed class PaymentWebhooks(IEnumerable<IPaymentEffects> effects, PaymentsDb db) : IWebhookHandler
{
    private readonly IReadOnlyList<IPaymentEffects> _effects = effects.ToList();

    public WebhookRecordType RecordType => WebhookRecordType.Payment;

    /// <summary>PayPal's approval is captured before the event is recorded (see <see cref="CaptureOnApproval"/>).</summary>
    public Task<ProviderEvent> PrepareAsync(IProvider provider, ProviderEvent e, CancellationToken ct) =>
        e.Kind == ProviderEventKind.CaptureRequired ? CaptureOnApproval.RunAsync(provider, e, db, ct) : Task.FromResult(e);

    public IWebhookBatchPart Begin(WebhookBatchScope scope) => new Part(scope, _effects);

    private sealed class Part(WebhookBatchScope scope, IReadOnlyList<IPaymentEffects> effects) : IWebhookBatchPart
    {
        private readonly PaymentRows _rows = new(scope.Db, scope.Dialect);
        private List<Payment> _locked = [];

        public async Task LoadAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken ct)
        {
            var ids = deliveries.Select(d => d.Event.PaymentId).OfType<string>().Distinct().ToArray();
            var byProviderId = deliveries.Where(d => d.Event.ProviderPaymentId is not null).Select(d => (d.Provider, d.Event.ProviderPaymentId!)).Distinct().ToArray();
            var byReference = deliveries.Where(d => d.Event.ProviderReference is not null).Select(d => (d.Provider, d.Event.ProviderReference!)).Distinct().ToArray();
            _locked = await _rows.LockForEventsAsync(ids, byProviderId, byReference, ct);
        }

        public HandledDelivery Plan(WebhookDelivery delivery, DateTimeOffset now)
        {
            var (provider, e) = (delivery.Provider, delivery.Event);
            var payment = Find(provider, e);
            if (payment is null)
                return new HandledDelivery { Outcome = DeliveryOutcome.Unmatched, Result = new DeliveryResult(DeliveryOutcome.Unmatched) };

            var before = PaymentState.Of(payment);
            var decisions = PaymentNews.DecideInOrder(payment.Snapshot(), PaymentNews.ObservationsOf(e));
            var reported = PaymentNews.Reported(decisions)!;
            var outcome = PaymentNews.OutcomeOf(reported);
            var audits = new List<AuditEntry>();
            var news = new List<OutboxEvent>();
            try
            {
                foreach (var each in decisions)
                {
                    var (audit, told) = PaymentSettler.Transition(payment, each, e.ProviderReference, now, $"provider:{provider}", e.EventId);
                    if (audit is not null) audits.Add(audit);
                    if (told is not null) news.Add(told);
                }
            }
            catch
            {
                before.Restore(payment);
                throw;
            }

            var changes = decisions.Where(d => d.Changes).ToList();
            var applying = changes.SelectMany(d => effects.Where(effect => effect.AppliesTo(payment, d)).Select(effect => (effect, d))).ToList();
            // The answer shows the payment as this delivery left it, not as later deliveries of the batch will.
            var shown = PaymentState.Copy(payment);
            return new HandledDelivery
            {
                Outcome = outcome,
                PaymentId = payment.Id,
                Audits = audits,
                Writes = changes.Count == 0 ? [] : news.Count == 0 ? [_rows.Settle(payment)] : [_rows.Settle(payment), OutboxRows.InsertOf(news, scope.Dialect)],
                Effects = applying.Count == 0 ? null : async ct =>
                {
                    foreach (var (effect, decision) in applying) await effect.ApplyAsync(scope.Db, payment, decision, now, ct);
                },
                Undo = () => before.Restore(payment),
                Result = new DeliveryResult(outcome, shown.Id, shown.Status.ToWire(),
                    outcome == DeliveryOutcome.Conflict ? PaymentSettler.Mismatch(shown, reported.Reason, "Amount or currency differ from ours.") : null,
                    shown.Amount),
            };
        }

        /// <summary>By our id, the provider's id, then the secondary reference; always within the event's own provider.</summary>
        private Payment? Find(string provider, ProviderEvent e) =>
            (e.PaymentId is { } ours ? _locked.Find(p => p.Provider == provider && p.Id == ours) : null)
            ?? (e.ProviderPaymentId is { } theirs ? _locked.Find(p => p.Provider == provider && p.ProviderPaymentId == theirs) : null)
            ?? (e.ProviderReference is { } reference ? _locked.Find(p => p.Provider == provider && p.ProviderReference == reference) : null);
    }
}
