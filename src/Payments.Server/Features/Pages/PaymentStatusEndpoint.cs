using Microsoft.EntityFrameworkCore;
using Payments.Core.Errors;
using Payments.Core.Payments;
using Payments.Server.Data;

namespace Payments.Server.Features.Pages;

/// <summary>
/// <c>GET /payments/status/{id}</c>: what the thanks page polls. The status only — no amounts,
/// owner or provider data — for whoever holds the payment id, as the thanks page itself is: the id
/// is unguessable (80 random bits) and is what the customer's browser was sent back with. One
/// indexed read and no provider call, unlike verify (rate-limited, asks the provider).
/// </summary>
public static class PaymentStatusEndpoint
{
    public sealed record Response(string PaymentId, string Status, bool Processing);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/payments/status/{id}", GetAsync)
            .WithTags("Pages")
            .WithSummary("A payment's status for the thanks page to poll (status only; no other data).")
            .Produces<Response>()
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> GetAsync(string id, HttpContext http, PaymentsDb db, CancellationToken ct)
    {
        var found = await db.Payments.AsNoTracking().Where(p => p.Id == id).Select(p => new { p.Status }).FirstOrDefaultAsync(ct)
                    ?? throw PaymentsException.NotFound($"No payment '{id}'.");
        http.Response.Headers.CacheControl = "no-store";
        return Results.Ok(new Response(id, found.Status.ToWire(),
            PaymentStatusView.IsProcessing(found.Status)));
    }
}
