using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Providers;
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
/// A gateway's events also settle the payments of the wallets it carries (<see cref="ProviderRegistry.CarriedBy"/>:
/// a Google Pay payment is charged by Stripe, and Stripe's webhook says so), always within that set.
/// </summary>
internal sealed class PaymentWebhooks(IEnumerable<IPaymentEffects> effects, PaymentsDb db, ProviderRegistry providers) : IWebhookHandler
{
    private readonly IReadOnlyList<IPaymentEffects> _effects = effects.ToList();

    public WebhookRecordType RecordType => WebhookRecordType.Payment;

    /// <summary>PayPal's approval is captured before the event is recorded (see <see cref="CaptureOnApproval"/>).</summary>
    public Task<ProviderEvent> PrepareAsync(IProvider provider, ProviderEvent e, CancellationToken ct) =>
        e.Kind == ProviderEventKind.CaptureRequired ? CaptureOnApproval.RunAsync(provider, e, db, ct) : Task.FromResult(e);

    public IWebhookBatchPart Begin(WebhookBatchScope scope) => new Part(scope, _effects, providers.CarriedBy);

    private sealed class Part(WebhookBatchScope scope, IReadOnlyList<IPaymentEffects> effects, Func<string, IReadOnlyList<string>> carriedBy)
        : IWebhookBatchPart
    {
        private readonly PaymentRows _rows = new(scope.Db, scope.Dialect);
        private List<Payment> _locked = [];

        public async Task LoadAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken ct)
        {
            var ids = deliveries.Select(d => d.Event.PaymentId).OfType<string>().Distinct().ToArray();
            var byProviderId = deliveries.Where(d => d.Event.ProviderPaymentId is not null)
                .SelectMany(d => carriedBy(d.Provider).Select(name => (name, d.Event.ProviderPaymentId!))).Distinct().ToArray();
            var byReference = deliveries.Where(d => d.Event.ProviderReference is not null)
                .SelectMany(d => carriedBy(d.Provider).Select(name => (name, d.Event.ProviderReference!))).Distinct().ToArray();
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

        /// <summary>
        /// By our id, the provider's id, then the secondary reference; always within the event's own provider and
        /// the wallets it carries.
        /// </summary>
        private Payment? Find(string provider, ProviderEvent e)
        {
            var carried = carriedBy(provider);
            return (e.PaymentId is { } ours ? _locked.Find(p => p.Id == ours && carried.Contains(p.Provider)) : null)
                   ?? (e.ProviderPaymentId is { } theirs ? _locked.Find(p => p.ProviderPaymentId == theirs && carried.Contains(p.Provider)) : null)
                   ?? (e.ProviderReference is { } reference ? _locked.Find(p => p.ProviderReference == reference && carried.Contains(p.Provider)) : null);
        }
    }
}
