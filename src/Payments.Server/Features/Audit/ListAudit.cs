using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Payments;

namespace Payments.Server.Features.Audit;

/// <summary><c>GET /api/v1/audit</c> (admin): the audit trail, newest first, by payment or action.</summary>
public static class ListAudit
{
    public sealed record Entry(long Id, DateTimeOffset At, string Action, string? PaymentId, string Actor, JsonElement? Data);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/audit", ListAsync)
            .WithTags("Admin").WithSummary("Audit log (admin): filter by payment_id or action; paged.")
            .RequireAuthorization(AuthSetup.AdminPolicy)
            .Produces<PageOf<Entry>>().ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    private static async Task<IResult> ListAsync(PaymentsDb db, string? payment_id, string? action, int? page, int? page_size, CancellationToken ct)
    {
        var (number, size) = Paging.Validate(page, page_size);
        var rows = await PageAsync(db, payment_id, action, number, size, ct);
        var items = rows.Items.Select(a => new Entry(a.Id, a.At, a.Action, a.PaymentId, a.Actor,
            a.Data is null ? null : JsonDocument.Parse(a.Data).RootElement.Clone())).ToList();
        return Results.Ok(new PageOf<Entry>(items, number, size, rows.Total));
    }

    /// <summary>The audit query shared with the admin dashboard's audit page.</summary>
    internal static async Task<PageOf<AuditEntry>> PageAsync(
        PaymentsDb db, string? paymentId, string? action, int page, int size, CancellationToken ct)
    {
        var query = db.AuditLog.AsNoTracking();
        if (paymentId is not null) query = query.Where(a => a.PaymentId == paymentId);
        if (action is not null) query = query.Where(a => a.Action == action);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(a => a.Id).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        return new PageOf<AuditEntry>(rows, page, size, total);
    }
}
