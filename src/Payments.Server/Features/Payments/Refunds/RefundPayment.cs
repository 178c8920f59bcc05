using Payments.Core.Errors;
using Payments.Core.Payments;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Idempotency;

namespace Payments.Server.Features.Payments.Refunds;

/// <summary><c>POST /api/v1/payment/refund</c> (admin): full or partial refund of a paid payment.</summary>
public static class RefundPayment
{
    /// <param name="Amount">Minor units; omitted = everything still refundable.</param>
    public sealed record Request(string? PaymentId, long? Amount = null, string? Reason = null);

    public sealed record Response(
        string RefundId, string PaymentId, long Amount, string Currency, string Status, string? FailureReason,
        string PaymentStatus, long Refunded);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/payment/refund", HandleAsync)
            .WithTags("Refunds")
            .WithSummary("Refund part or all of a paid payment (admin). The sum of refunds never exceeds what was paid.")
            .RequireAuthorization(AuthSetup.AdminPolicy)
            .Idempotent()
            .Produces<Response>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> HandleAsync(Request? request, HttpContext http, RefundService refunds, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request?.PaymentId)) throw PaymentsException.Validation("'payment_id' is required.");
        var key = http.Request.Headers[IdempotencyMiddleware.Header].ToString();
        var (refund, payment) = await refunds.RefundAsync(request.PaymentId.Trim(), request.Amount, request.Reason, http.Caller().Audit, ct,
            requestKey: key.Length == 0 ? null : key);
        return Results.Ok(new Response(refund.Id, refund.PaymentId, refund.AmountMinor, refund.Currency, refund.Status, refund.FailureReason,
            payment.Status.ToWire(), payment.RefundedMinor));
    }
}
