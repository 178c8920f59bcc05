using Microsoft.EntityFrameworkCore;

namespace Payments.Server.Data.Sql;

/// <summary>
/// The queue of billing events (migration 0017): written by the webhook batch beside the event row, in its savepoint;
/// read and emptied by <c>SubscriptionSync</c> under the customer's lock; the event rows' outcomes updated when applied.
/// </summary>
public static class BillingQueueRows
{
    private const string Insert =
        "INSERT INTO billing_event_queue (provider, event_id, event_type, record_type, record_id, provider_customer_id, created_at, attempts, next_attempt_at) " +
        "VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $7) ON CONFLICT (provider, event_id) DO NOTHING";

    /// <summary>
    /// Sent after the event row in the delivery's savepoint. A second delivery of the same event must fail on the event
    /// row's index (which the intake reads as a duplicate), never on this one: on PostgreSQL the statements of a delivery
    /// travel as one, whose parts may run in any order, hence DO NOTHING here.
    /// </summary>
    public static RowWrite InsertOf(string provider, string eventId, string eventType, string recordType, string? recordId, string? providerCustomerId,
        DateTimeOffset now, SqlDialect dialect) =>
        new(Insert, [Arg.Text(provider), Arg.Text(eventId), Arg.Text(eventType), Arg.Text(recordType), Arg.Text(recordId), Arg.Text(providerCustomerId),
            dialect.Time(now)]);

    /// <summary>The event rows of applied queue entries take the outcome of their record's fetched state ("applied", "no_change", "unmatched").</summary>
    public static async Task SetOutcomeAsync(PaymentsDb db, string provider, IReadOnlyCollection<string> eventIds, string outcome, string? paymentId,
        CancellationToken ct)
    {
        foreach (var eventId in eventIds)
            await db.Database.ExecuteSqlAsync(
                $"UPDATE payment_events SET outcome = {outcome}, payment_id = COALESCE(payment_id, {paymentId}) WHERE provider = {provider} AND external_event_id = {eventId}",
                ct);
    }
}
