using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payments.Core;
using Payments.Core.Errors;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Idempotency;
using Payments.Server.Features.Payments;

namespace Payments.Server.Features.Outbox;

/// <summary>
/// <c>/api/v1/webhook-endpoints</c> (admin): where the host application wants to be told about changes.
/// The signing secret is shown when the endpoint is made and when it is rotated, never again.
/// </summary>
public static class WebhookEndpointsApi
{
    /// <summary>A rotated-out secret keeps signing (a second <c>v1=</c>) this long, so the host can switch without losing deliveries.</summary>
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);

    public sealed record CreateRequest(string? Url, IReadOnlyList<string>? Events, string? Description = null);
    public sealed record Created(string Id, string Url, IReadOnlyList<string> Events, string? Description, string Secret, DateTimeOffset CreatedAt);
    public sealed record View(string Id, string Url, IReadOnlyList<string> Events, string? Description, DateTimeOffset CreatedAt);
    public sealed record Rotated(string Id, string Secret, DateTimeOffset PreviousSecretExpiresAt);
    public sealed record DeliveryView(
        long DeliveryId, string EventId, string Type, string Resource, string Status, int Attempts, int? LastStatusCode, string? LastError,
        DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt, DateTimeOffset CreatedAt);

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/webhook-endpoints").WithTags("Webhook endpoints").RequireAuthorization(AuthSetup.AdminPolicy);
        // Idempotency-Key honoured (a retried create makes one endpoint); the stored answer holds the secret, so it is kept encrypted.
        group.MapPost("", CreateAsync).Idempotent(protectsResponse: true)
            .WithSummary("Register an endpoint for outgoing webhooks; the signing secret is in this response only.")
            .Produces<Created>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("", async (PaymentsDb db, CancellationToken ct) =>
                (await db.WebhookEndpoints.AsNoTracking().Where(e => e.DeletedAt == null).ToListAsync(ct))
                .OrderBy(e => e.CreatedAt).Select(ToView))
            .WithSummary("List endpoints (never their secrets).");
        group.MapGet("/{id}", async (string id, PaymentsDb db, CancellationToken ct) => ToView(await FindAsync(db, id, ct)))
            .WithSummary("One endpoint.").Produces<View>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id}", DeleteAsync).WithSummary("Delete an endpoint: nothing more is sent to it.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/rotate-secret", RotateAsync).Idempotent(protectsResponse: true)
            .WithSummary("A new signing secret; the old one keeps signing beside it for 24 hours.")
            .Produces<Rotated>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/deliveries", DeliveriesAsync).WithSummary("The delivery log of an endpoint, newest first; paged.")
            .Produces<PageOf<DeliveryView>>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> CreateAsync(
        CreateRequest? request, HttpContext http, PaymentsDb db, TimeProvider clock, OutboxDispatcher dispatcher, CancellationToken ct)
    {
        var url = ValidUrl(request?.Url);
        var events = ValidEvents(request?.Events);
        var description = request?.Description?.Trim();
        if (description is { Length: > 500 }) throw PaymentsException.Validation("'description' is at most 500 characters.");
        var now = clock.GetUtcNow();
        var endpoint = new WebhookEndpoint
        {
            Id = Ids.New("we", now), Url = url, Events = JsonSerializer.Serialize(events), Description = string.IsNullOrEmpty(description) ? null : description,
            Secret = NewSecret(), CreatedAt = now,
        };
        db.WebhookEndpoints.Add(endpoint);
        db.Add(now, "webhook_endpoint.create", http.Caller().Audit, null, new { endpoint_id = endpoint.Id, url, events });
        await db.SaveWriteAsync(ct);
        dispatcher.Wake();
        return Results.Created($"/api/v1/webhook-endpoints/{endpoint.Id}",
            new Created(endpoint.Id, endpoint.Url, events, endpoint.Description, endpoint.Secret, endpoint.CreatedAt));
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, PaymentsDb db, TimeProvider clock, CancellationToken ct)
    {
        var endpoint = await FindAsync(db, id, ct);
        var now = clock.GetUtcNow();
        endpoint.DeletedAt = now;
        db.Add(now, "webhook_endpoint.delete", http.Caller().Audit, null, new { endpoint_id = endpoint.Id });
        await db.SaveWriteAsync(ct);
        return Results.NoContent();
    }

    private static async Task<IResult> RotateAsync(string id, HttpContext http, PaymentsDb db, TimeProvider clock, CancellationToken ct)
    {
        var endpoint = await FindAsync(db, id, ct);
        var now = clock.GetUtcNow();
        endpoint.PreviousSecret = endpoint.Secret;
        endpoint.PreviousSecretExpiresAt = now + RotationOverlap;
        endpoint.Secret = NewSecret();
        db.Add(now, "webhook_endpoint.rotate_secret", http.Caller().Audit, null, new { endpoint_id = endpoint.Id });
        await db.SaveWriteAsync(ct);
        return Results.Ok(new Rotated(endpoint.Id, endpoint.Secret, endpoint.PreviousSecretExpiresAt.Value));
    }

    private static async Task<IResult> DeliveriesAsync(string id, PaymentsDb db, int? page, int? page_size, CancellationToken ct)
    {
        var (number, size) = Paging.Validate(page, page_size);
        var endpoint = await FindAsync(db, id, ct);
        var query = db.OutboxDeliveries.AsNoTracking().Where(d => d.EndpointId == endpoint.Id);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(d => d.Id).Skip((number - 1) * size).Take(size)
            .Join(db.Outbox.AsNoTracking(), d => d.OutboxId, o => o.Id, (d, o) => new { d, o.EventId, o.Type })
            .ToListAsync(ct);
        var items = rows.Select(r => new DeliveryView(r.d.Id, r.EventId, r.Type, r.d.ResourceKey, r.d.Status, r.d.Attempts, r.d.LastStatusCode,
            r.d.LastError, r.d.Status == DeliveryStatus.Pending ? r.d.NextAttemptAt : null, r.d.DeliveredAt, r.d.CreatedAt)).ToList();
        return Results.Ok(new PageOf<DeliveryView>(items, number, size, total));
    }

    private static async Task<WebhookEndpoint> FindAsync(PaymentsDb db, string id, CancellationToken ct) =>
        await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id && e.DeletedAt == null, ct)
        ?? throw PaymentsException.NotFound($"No webhook endpoint '{id}'.");

    private static View ToView(WebhookEndpoint e) => new(e.Id, e.Url, EndpointEvents.Parse(e.Events), e.Description, e.CreatedAt);

    private static string ValidUrl(string? raw)
    {
        raw = raw?.Trim();
        if (string.IsNullOrEmpty(raw) || raw.Length > 2048 || !Uri.TryCreate(raw, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
            || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
            throw PaymentsException.Validation("'url' must be an absolute http(s) URL without credentials or fragment, at most 2048 characters.")
                .With("field", "url");
        return uri.AbsoluteUri;
    }

    private static IReadOnlyList<string> ValidEvents(IReadOnlyList<string>? events)
    {
        if (events is null || events.Count == 0)
            throw PaymentsException.Validation($"'events' must list event types ({string.Join(", ", HostEvents.All)}) or be [\"*\"].")
                .With("field", "events");
        var unknown = events.Where(e => e != EndpointEvents.All && !HostEvents.All.Contains(e)).ToList();
        if (unknown.Count > 0)
            throw PaymentsException.Validation($"Unknown event types: {string.Join(", ", unknown)}. Known: {string.Join(", ", HostEvents.All)}, or \"*\".")
                .With("field", "events");
        return events.Distinct().ToList();
    }

    private static string NewSecret() => "whsec_" + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
