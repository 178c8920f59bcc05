using Microsoft.EntityFrameworkCore;
using Payments.Core.Errors;
using Payments.Server.Data;
using Payments.Server.Features.Auth;

namespace Payments.Server.Features.Payments;

/// <summary>
/// <c>GET /api/v1/payments</c>: a user sees their own payments; admins and service keys see all.
/// Filters: status, provider, from / to (created, ISO 8601, to is exclusive), reference; newest first; paged.
/// <c>GET /api/v1/payments/{id}</c>: one payment with its refunds.
/// </summary>
public static class ListPayments
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/payments", ListAsync)
            .WithTags("Payments").WithSummary("List payments (own; admin and service keys: all).")
            .RequireAuthorization(AuthSetup.SignedInPolicy)
            .Produces<PageOf<PaymentView>>().ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        app.MapGet("/api/v1/payments/{id}", GetAsync)
            .WithTags("Payments").WithSummary("One payment with its refunds (owner, admin or service key).")
            .RequireAuthorization(AuthSetup.SignedInPolicy)
            .Produces<PaymentDetail>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    public sealed record PaymentDetail(PaymentView Payment, IReadOnlyList<RefundView> Refunds);

    private static async Task<IResult> ListAsync(
        HttpContext http, PaymentsDb db, string? status, string? provider, DateTimeOffset? from, DateTimeOffset? to, string? reference,
        int? page, int? page_size, CancellationToken ct)
    {
        var (number, size) = Paging.Validate(page, page_size);
        var result = await PaymentQuery.PageAsync(db, http.Caller(), new PaymentFilter(status, provider, from, to, reference), number, size, ct);
        return Results.Ok(new PageOf<PaymentView>(result.Items.Select(PaymentView.Of).ToList(), number, size, result.Total));
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, PaymentsDb db, CancellationToken ct)
    {
        var payment = await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct)
                      ?? throw PaymentsException.NotFound($"No payment '{id}'.");
        Ownership.EnsureMayRead(http.Caller(), payment);
        var refunds = (await db.Refunds.AsNoTracking().Where(r => r.PaymentId == id).ToListAsync(ct)).OrderBy(r => r.CreatedAt);
        return Results.Ok(new PaymentDetail(PaymentView.Of(payment), refunds.Select(RefundView.Of).ToList()));
    }
}
