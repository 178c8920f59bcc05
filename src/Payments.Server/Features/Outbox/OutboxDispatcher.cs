using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payments.Providers.Common;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Data.Sql;

namespace Payments.Server.Features.Outbox;

/// <summary>
/// Sends the outbox to the host's endpoints, at least once, in order per resource, never twice at
/// once, and nothing lost across restarts (everything it needs is in the database):
/// <list type="number">
/// <item>fan-out: outbox rows not yet copied become one delivery per endpoint subscribed to their type
/// (rows locked and skipped by other nodes, so each is copied once);</item>
/// <item>claim: due deliveries, first in line for their endpoint and resource, are leased to this node
/// in one statement;</item>
/// <item>send: POST the event, signed <c>Payments-Signature: t=…,v1=…</c>; a 2xx is success, anything
/// else (or no answer within the timeout) is retried with exponential backoff and jitter until the
/// retry window closes, then given up (<c>failed</c>).</item>
/// </list>
/// A node that dies holding a lease holds it only until the lease runs out; then another node sends
/// the delivery again (the host de-duplicates on the event id, which never changes).
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopes, IHttpClientFactory httpClients, OutboxOptions options, TimeProvider clock, ILogger<OutboxDispatcher> log,
    Hosting.PaymentsMetrics metrics)
    : BackgroundService
{
    public const string HttpClientName = "outbox";
    private const int FanOutBatch = 200, ClaimBatch = 16;
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Asks for a pass now instead of at the next poll (an endpoint was registered).</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0) try { _wake.Release(); } catch (SemaphoreFullException) { /* already awake */ }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                busy = await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be restarting; everything is still in it, so the next pass resumes.
                log.LogWarning(e, "Outgoing webhook pass failed; retrying in {Interval}", options.PollInterval);
            }
            if (busy) continue;
            try
            {
                await _wake.WaitAsync(options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass; true when it found work (so another pass follows at once).</summary>
    internal async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        // Without endpoints there is nobody to tell and nothing to do (outbox rows wait; an endpoint
        // receives only events newer than itself, and `events replay` sends older ones on purpose).
        if (!await db.WebhookEndpoints.AnyAsync(e => e.DeletedAt == null, ct)) return false;
        var fanned = await FanOutAsync(db, ct);
        db.ChangeTracker.Clear();
        var sent = await SendDueAsync(db, ct);
        return fanned > 0 || sent > 0;
    }

    private async Task<int> FanOutAsync(PaymentsDb db, CancellationToken ct)
    {
        // A plain read first: most passes find nothing, and then no write transaction is opened
        // (on SQLite that would queue behind, and hold up, the webhook writer).
        if (!await db.Outbox.AnyAsync(o => !o.FannedOut, ct)) return 0;
        await using var tx = await db.BeginWriteAsync(ct);
        // One node fans out at a time, in id order. Events about one payment are written in the order
        // of their commits (its row lock serializes them), so copying in id order by one node at a
        // time keeps every endpoint's deliveries for a payment in that order.
        if (!await OutboxRows.TryFanOutTurnAsync(db, ct)) return 0;
        var rows = await OutboxRows.LockUnfannedAsync(db, FanOutBatch, ct);
        if (rows.Count == 0) return 0;
        // Read inside the transaction, after the rows: an endpoint committed before this point is seen.
        var subscribed = (await db.WebhookEndpoints.AsNoTracking().Where(e => e.DeletedAt == null).ToListAsync(ct))
            .Select(e => (Endpoint: e, Types: EndpointEvents.Parse(e.Events))).ToList();
        var now = clock.GetUtcNow();
        foreach (var row in rows)
        {
            row.FannedOut = true;
            foreach (var (endpoint, types) in subscribed)
                if (endpoint.CreatedAt <= row.CreatedAt && EndpointEvents.Matches(types, row.Type))
                    // A replay may have made this one already: then it stays as it is.
                    await OutboxRows.UpsertDeliveryAsync(db, endpoint.Id, row, now, replay: false, ct);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return rows.Count;
    }

    private async Task<int> SendDueAsync(PaymentsDb db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (!await db.OutboxDeliveries.AnyAsync(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now, ct)) return 0;
        // Microsecond precision: what PostgreSQL keeps, so the guard below compares equal on both engines.
        var leaseEnd = (now + options.Lease).UtcTicks;
        var lease = new DateTimeOffset(leaseEnd - leaseEnd % 10, TimeSpan.Zero);
        List<long> ids;
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            ids = await OutboxRows.ClaimAsync(db, now, lease, ClaimBatch, ct);
            await tx.CommitAsync(ct);
        }
        if (ids.Count == 0) return 0;

        var deliveries = await db.OutboxDeliveries.AsNoTracking().Where(d => ids.Contains(d.Id)).ToListAsync(ct);
        var outboxIds = deliveries.Select(d => d.OutboxId).Distinct().ToList();
        var endpointIds = deliveries.Select(d => d.EndpointId).Distinct().ToList();
        var events = await db.Outbox.AsNoTracking().Where(o => outboxIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => endpointIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, ct);

        // Each answer is recorded as soon as it comes (its own unit of work): a slow endpoint does not
        // hold back the record of a fast one, which a crash would otherwise turn into a second delivery.
        await Task.WhenAll(deliveries.Select(async d =>
        {
            var result = await SendAsync(d, events[d.OutboxId], endpoints[d.EndpointId], ct);
            await RecordAsync(d, events[d.OutboxId], result, lease, ct);
        }));
        return deliveries.Count;
    }

    private sealed record Attempt(bool Delivered, int? StatusCode, string? Error, bool Abandon = false);

    private async Task<Attempt> SendAsync(OutboxDelivery delivery, OutboxEvent e, WebhookEndpoint endpoint, CancellationToken ct)
    {
        if (endpoint.DeletedAt is not null) return new Attempt(false, null, "endpoint deleted", Abandon: true);
        var now = clock.GetUtcNow();
        var body = Body(e);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(endpoint, body, now));
        request.Headers.TryAddWithoutValidation("Payments-Event-Id", e.EventId);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            return code is >= 200 and < 300 ? new Attempt(true, code, null) : new Attempt(false, code, $"HTTP {code}");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Whatever went wrong with this one (refused, reset, timed out, a URL the client rejects) is a
            // failed attempt: retried with backoff, and given up at the end of the window like any other.
            return new Attempt(false, null, ex is OperationCanceledException ? $"no answer within {options.Timeout.TotalSeconds:0.#} s" : ex.Message);
        }
    }

    private async Task RecordAsync(OutboxDelivery d, OutboxEvent e, Attempt attempt, DateTimeOffset lease, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        var now = clock.GetUtcNow();
        var attempts = d.Attempts + 1;
        var status = attempt.Delivered ? DeliveryStatus.Succeeded
            : attempt.Abandon || now - e.CreatedAt >= options.RetryWindow ? DeliveryStatus.Failed
            : DeliveryStatus.Pending;
        var next = status == DeliveryStatus.Pending ? now + options.Backoff(attempts, Random.Shared) : d.NextAttemptAt;
        DateTimeOffset? delivered = attempt.Delivered ? now : null;
        await using var tx = await db.BeginWriteAsync(ct);
        // Only while this node still holds the lease: had it run out and another node taken over, that node records.
        await db.OutboxDeliveries.Where(x => x.Id == d.Id && x.LockedUntil == lease).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Status, status)
            .SetProperty(x => x.Attempts, attempts)
            .SetProperty(x => x.NextAttemptAt, next)
            .SetProperty(x => x.LockedUntil, (DateTimeOffset?)null)
            .SetProperty(x => x.LastStatusCode, attempt.StatusCode)
            .SetProperty(x => x.LastError, attempt.Error)
            .SetProperty(x => x.UpdatedAt, now)
            .SetProperty(x => x.DeliveredAt, delivered), ct);
        await tx.CommitAsync(ct);
        metrics.WebhookSent(status == DeliveryStatus.Succeeded ? "delivered" : status == DeliveryStatus.Failed ? "gave_up" : "retry");
        if (status == DeliveryStatus.Failed)
            log.LogWarning("Gave up delivering {EventId} ({Type}) to {EndpointId} after {Attempts} attempts: {Error}",
                e.EventId, e.Type, d.EndpointId, attempts, attempt.Error);
    }

    /// <summary><c>{"id":"evt_…","type":"…","created":unix,"data":{"object":{…}}}</c>: the same bytes on every attempt.</summary>
    internal static byte[] Body(OutboxEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(e.Payload.Length + 128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", e.EventId);
            json.WriteString("type", e.Type);
            json.WriteNumber("created", e.CreatedAt.ToUnixTimeSeconds());
            json.WriteStartObject("data");
            json.WritePropertyName("object");
            json.WriteRawValue(e.Payload, skipInputValidation: true);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>The states of an outgoing delivery.</summary>
public static class DeliveryStatus
{
    public const string Pending = "pending", Succeeded = "succeeded", Failed = "failed";
}

/// <summary>
/// <c>Payments-Signature: t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256(secret, "t.body")&gt;</c>, Stripe's scheme, so a
/// host verifies it as it would Stripe's; during a rotation a second <c>v1</c> is signed with the old secret.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Payments-Signature";

    public static string Sign(WebhookEndpoint endpoint, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var t = now.ToUnixTimeSeconds();
        var header = TimestampedHmacSignature.Header(endpoint.Secret, t, body);
        if (endpoint.PreviousSecret is { } previous && endpoint.PreviousSecretExpiresAt > now)
            header += string.Create(CultureInfo.InvariantCulture, $",{TimestampedHmacSignature.Scheme}={TimestampedHmacSignature.Sign(previous, t, body)}");
        return header;
    }
}

/// <summary>An endpoint's subscription: event types, or "*" for all.</summary>
public static class EndpointEvents
{
    public const string All = "*";

    public static IReadOnlyList<string> Parse(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];

    public static bool Matches(IReadOnlyList<string> subscribed, string type) => subscribed.Contains(All) || subscribed.Contains(type);
}
