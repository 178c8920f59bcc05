using Payments.Core.Payments;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Payments;

/// <summary>A payment as the API (and every outgoing webhook) shows it (amounts in minor units, times in UTC ISO 8601).</summary>
/// <param name="Reference">The caller's own id for what is paid, when it sent one.</param>
/// <param name="Metadata">The host's metadata, exactly as sent.</param>
/// <param name="RedirectUrl">Where to send the customer to pay, while the checkout is open (then null).</param>
/// <param name="ExpiresAt">When the open checkout closes (null once the payment has moved on).</param>
public sealed record PaymentView(
    string PaymentId, string Status, string? Plan, string Description, long Amount, string Currency, long Refunded,
    string Provider, string? ProviderPaymentId, string? ProviderReference, string? OwnerId, string? FailureReason,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PaidAt, string? Reference,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(VerbatimKeys))] IReadOnlyDictionary<string, string>? Metadata,
    string? RedirectUrl, DateTimeOffset? ExpiresAt)
{
    public static PaymentView Of(Payment p)
    {
        // Seed 003's Stripe-shaped read: the checkout's URL and its end are news only while someone can still pay through it.
        var open = p.Status is PaymentStatus.Created or PaymentStatus.Pending;
        return new(
            p.Id, p.Status.ToWire(), p.Plan, p.Description, p.AmountMinor, p.Currency, p.RefundedMinor,
            p.Provider, p.ProviderPaymentId, p.ProviderReference, p.OwnerId, p.FailureReason, p.CreatedAt, p.UpdatedAt, p.PaidAt,
            p.Reference, VerbatimKeys.Parse(p.Metadata), open ? p.RedirectUrl : null, open ? p.ExpiresAt : null);
    }
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
