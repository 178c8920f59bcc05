using Payments.Core.Errors;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Idempotency;
using Payments.Server.Features.Limits;

namespace Payments.Server.Features.Payments;

/// <summary>
/// <c>POST /api/v1/payment/verify</c>: asks the provider what happened and applies its answer through
/// the same settlement rules as a webhook. This is how a payment whose webhook was lost gets healed.
/// </summary>
public static class Verify
{
    public sealed record Request(string? PaymentId);

    public sealed record Response(string PaymentId, string Status, string? Plan, long Amount, string Currency, long Refunded);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/payment/verify", HandleAsync)
            .WithTags("Payments")
            .WithSummary("Ask the provider for a payment's status and apply it (heals lost webhooks).")
            .Produces<Response>()
            .RequireRateLimiting(RateLimits.Verify)
            .Idempotent()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    internal static async Task<IResult> HandleAsync(
        Request? request, HttpContext http, ProviderRegistry providers, PaymentsDb db, ProviderRefresh refresh, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request?.PaymentId))
            throw PaymentsException.Validation("'payment_id' is required (ours, pay_…, or the provider's).");

        var payment = await FindAsync(db, providers, request.PaymentId.Trim(), ct)
                      ?? throw PaymentsException.NotFound($"No payment '{request.PaymentId}'.");
        Ownership.EnsureMayAct(http.Caller(), payment);

        var (updated, reported) = await refresh.RefreshAsync(payment, $"verify:{http.Caller().Audit}", ct);
        if (reported?.Outcome == SettlementOutcome.Conflict)
            throw PaymentSettler.Mismatch(updated, reported.Reason, "The provider's amount differs from ours.");
        return Results.Ok(ToResponse(updated));
    }

    /// <summary>Finds a payment by our id, or by a provider's id (checkout or secondary reference).</summary>
    public static async Task<Payment?> FindAsync(PaymentsDb db, ProviderRegistry providers, string id, CancellationToken ct)
    {
        // No id of ours or a provider's holds a control character or runs past the id rule's length; such text
        // names nothing, and PostgreSQL would refuse a NUL in a parameter with a 500 (found by the fuzzer).
        if (WebhookEventRules.Id("id", id) is not null) return null;
        if (id.StartsWith("pay_", StringComparison.Ordinal))
            return await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        // The id's owner by shape, and the wallets it carries (a Google Pay payment's id is Stripe's pi_…).
        var owners = providers.OwnerOf(id) is { } owner ? providers.CarriedBy(owner.Name).ToArray() : null;
        return await db.Payments.AsNoTracking()
            .Where(p => (owners == null || owners.Contains(p.Provider)) && (p.ProviderPaymentId == id || p.ProviderReference == id))
            .FirstOrDefaultAsync(ct);
    }

    internal static Response ToResponse(Payment p) =>
        new(p.Id, p.Status.ToWire(), p.Plan, p.AmountMinor, p.Currency, p.RefundedMinor);
}
