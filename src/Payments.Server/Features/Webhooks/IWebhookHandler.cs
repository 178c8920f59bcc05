using Payments.Core.Errors;
using Payments.Core.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Data.Sql;

namespace Payments.Server.Features.Webhooks;

/// <summary>A verified delivery, waiting to be recorded and applied.</summary>
/// <param name="RawBody">What the event row stores: the delivery's bytes, or what the provider was asked (<see cref="ProviderEvent.RecordedBody"/>).</param>
/// <param name="Signed">False when it was let in without a signature check (PayPal's refetch); its audit row says so.</param>
public sealed record WebhookDelivery(string Provider, ProviderEvent Event, string Verification, ReadOnlyMemory<byte> RawBody, bool Signed = true);

/// <summary>How a delivery ended, as the intake answers it.</summary>
/// <param name="PaymentId">The payment it concerned, if any.</param>
/// <param name="Status">That record's status afterwards, as the API shows it.</param>
/// <param name="Problem">Thrown as the answer after the commit (a conflict answers 409, but is recorded all the same).</param>
/// <param name="Amount">What the payment is for (ours), for the settlement's log line.</param>
public sealed record DeliveryResult(
    DeliveryOutcome Outcome, string? PaymentId = null, string? Status = null, PaymentsException? Problem = null, Core.Money.Money? Amount = null);

/// <summary>
/// Applies the events of one record type (payments, subscriptions, connected accounts, …). The
/// feature that owns the record registers it (<c>services.AddScoped&lt;IWebhookHandler, …&gt;()</c>);
/// intake verifies, records each event once (UNIQUE provider + event id) and hands it here. An event
/// whose record type has no handler is recorded and answered 200 (<see cref="DeliveryOutcome.Unhandled"/>).
/// </summary>
public interface IWebhookHandler
{
    WebhookRecordType RecordType { get; }

    /// <summary>
    /// Called for events that need it (<see cref="ProviderEvent.NeedsProviderCall"/>): work with the
    /// provider that must happen before the event is recorded, outside any transaction
    /// (PayPal's approval is captured here, so a failed capture fails the delivery and the provider's
    /// retry captures). Returns the event to record, changed or not.
    /// </summary>
    Task<ProviderEvent> PrepareAsync(IProvider provider, ProviderEvent e, CancellationToken ct) => Task.FromResult(e);

    /// <summary>
    /// Called after the commit for a delivery this handler answered <see cref="DeliveryOutcome.Queued"/>: work that must
    /// not run inside the batch's transaction (asking the provider under a lock of its own). Returns how the delivery is
    /// answered. Must not throw for a provider that cannot be reached: what was queued is retried in the background.
    /// </summary>
    Task<DeliveryResult> AfterCommitAsync(WebhookDelivery delivery, DeliveryResult result, CancellationToken ct) => Task.FromResult(result);

    /// <summary>This handler's share of one batch (one transaction); called once per batch that has its events.</summary>
    IWebhookBatchPart Begin(WebhookBatchScope scope);
}

/// <summary>What a batch gives its handlers: the open unit of work, its dialect and clock.</summary>
public sealed record WebhookBatchScope(PaymentsDb Db, SqlDialect Dialect, TimeProvider Clock);

/// <summary>One handler's deliveries in one batch.</summary>
public interface IWebhookBatchPart
{
    /// <summary>Locks every record these deliveries may concern, in one query, in a global order (id).</summary>
    Task LoadAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken ct);

    /// <summary>
    /// Decides one delivery on its record's current state and changes that state in memory (the batch
    /// undoes it with <see cref="HandledDelivery.Undo"/> if the delivery is rolled back).
    /// </summary>
    HandledDelivery Plan(WebhookDelivery delivery, DateTimeOffset now);
}

/// <summary>A delivery, decided: what to write after its event row, and how it is answered.</summary>
public sealed class HandledDelivery
{
    public required DeliveryOutcome Outcome { get; init; }

    /// <summary>The payment the event row links to (our id), when the event concerns one.</summary>
    public string? PaymentId { get; init; }

    /// <summary>The provider's id of a non-payment record, stored on the event row.</summary>
    public string? RecordId { get; init; }

    /// <summary>Audit rows beside the intake's own <c>payment.webhook</c> row.</summary>
    public IReadOnlyList<AuditEntry> Audits { get; init; } = [];

    /// <summary>The record's new state (and the host's outbox rows), sent after the event row in the same savepoint; empty when nothing changed.</summary>
    public IReadOnlyList<RowWrite> Writes { get; init; } = [];

    /// <summary>
    /// Work through EF in the same savepoint (credits granted with a payment), run after the event row
    /// is in (so never for a duplicate) and before <see cref="Writes"/>; the batch saves what it adds.
    /// If it throws, this delivery alone is rolled back and fails.
    /// </summary>
    public Func<CancellationToken, Task>? Effects { get; init; }

    /// <summary>Puts the in-memory record back as it was before <see cref="IWebhookBatchPart.Plan"/>.</summary>
    public Action Undo { get; init; } = static () => { };

    public required DeliveryResult Result { get; init; }
}
