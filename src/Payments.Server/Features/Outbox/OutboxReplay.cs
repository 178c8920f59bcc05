using Microsoft.EntityFrameworkCore;
using Payments.Core.Errors;
using Payments.Server.Data;
using Payments.Server.Data.Sql;

namespace Payments.Server.Features.Outbox;

/// <summary>
/// Sends events again (<c>payments-cli events replay --since …</c>): to every endpoint subscribed to
/// them (or the one named), whether or not they were delivered before — a host that lost its own
/// data, or an endpoint registered after the events, catches up. The event ids are the original
/// ones, so a host that already has an event ignores it.
/// </summary>
public static class OutboxReplay
{
    /// <summary>At most this many events per run: replaying more at once is a sign the window is wrong.</summary>
    public const int MaxEvents = 100_000;

    /// <returns>How many deliveries were made due.</returns>
    public static async Task<int> ReplayAsync(PaymentsDb db, TimeProvider clock, DateTimeOffset since, string? endpointId, CancellationToken ct)
    {
        var endpoints = await db.WebhookEndpoints.AsNoTracking()
            .Where(e => e.DeletedAt == null && (endpointId == null || e.Id == endpointId)).ToListAsync(ct);
        if (endpointId is not null && endpoints.Count == 0) throw PaymentsException.NotFound($"No webhook endpoint '{endpointId}'.");
        var events = await db.Outbox.AsNoTracking().Where(o => o.CreatedAt >= since).OrderBy(o => o.Id).Take(MaxEvents + 1).ToListAsync(ct);
        if (events.Count > MaxEvents)
            throw PaymentsException.Validation($"More than {MaxEvents} events since {since:O}; replay a shorter window (or one endpoint).");

        var now = clock.GetUtcNow();
        var made = 0;
        await using var tx = await db.BeginWriteAsync(ct);
        foreach (var e in events)
        foreach (var endpoint in endpoints)
            if (EndpointEvents.Matches(EndpointEvents.Parse(endpoint.Events), e.Type))
                made += await OutboxRows.UpsertDeliveryAsync(db, endpoint.Id, e, now, replay: true, ct);
        await tx.CommitAsync(ct);
        return made;
    }
}
