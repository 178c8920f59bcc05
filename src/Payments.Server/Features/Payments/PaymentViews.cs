using Payments.Core.Payments;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Payments;

/// <summary>A payment as the API shows it (amounts in minor units, times in UTC ISO 8601).</summary>
public sealed record PaymentView(
    string PaymentId, string Status, string? Plan, string Description, long Amount, string Currency, long Refunded,
    string Provider, string? ProviderPaymentId, string? ProviderReference, string? OwnerId, string? FailureReason,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PaidAt)
{
    public static PaymentView Of(Payment p) => new(
        p.Id, p.Status.ToWire(), p.Plan, p.Description, p.AmountMinor, p.Currency, p.RefundedMinor,
        p.Provider, p.ProviderPaymentId, p.ProviderReference, p.OwnerId, p.FailureReason, p.CreatedAt, p.UpdatedAt, p.PaidAt);
}

public sealed record RefundView(
    string RefundId, long Amount, string Currency, string Status, string? Reason, string? ProviderRefundId,
    string? FailureReason, string RequestedBy, DateTimeOffset CreatedAt)
{
    public static RefundView Of(Refund r) =>
        new(r.Id, r.AmountMinor, r.Currency, r.Status, r.Reason, r.ProviderRefundId, r.FailureReason, r.RequestedBy, r.CreatedAt);
}

/// <summary>One page of a list, with the total so clients can render paging.</summary>
public sealed record PageOf<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

public static class Paging
{
    public const int MaxPageSize = 100;

    public static (int Page, int Size) Validate(int? page, int? pageSize)
    {
        var p = page ?? 1;
        var s = pageSize ?? 20;
        if (p < 1) throw Core.Errors.PaymentsException.Validation("'page' starts at 1.");
        // Bounded so (page - 1) × page_size cannot overflow; nobody pages past ten million rows by hand.
        if (p > 100_000) throw Core.Errors.PaymentsException.Validation("'page' is at most 100000; narrow the filters instead.");
        if (s is < 1 or > MaxPageSize) throw Core.Errors.PaymentsException.Validation($"'page_size' must be 1 to {MaxPageSize}.");
        return (p, s);
    }
}
