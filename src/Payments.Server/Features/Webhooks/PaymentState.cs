using Payments.Core.Payments;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Webhooks;

/// <summary>The fields settlement changes, to put a payment back as it was when a delivery is rolled back.</summary>
internal readonly record struct PaymentState(
    PaymentStatus Status, long RefundedMinor, DateTimeOffset UpdatedAt, DateTimeOffset? PaidAt, string? FailureReason, string? ProviderReference)
{
    public static PaymentState Of(Payment? p) =>
        p is null ? default : new(p.Status, p.RefundedMinor, p.UpdatedAt, p.PaidAt, p.FailureReason, p.ProviderReference);

    public void Restore(Payment? p)
    {
        if (p is null) return;
        (p.Status, p.RefundedMinor, p.UpdatedAt, p.PaidAt, p.FailureReason, p.ProviderReference) =
            (Status, RefundedMinor, UpdatedAt, PaidAt, FailureReason, ProviderReference);
    }

    public static Payment Copy(Payment p) => new()
    {
        Id = p.Id, Plan = p.Plan, Description = p.Description, AmountMinor = p.AmountMinor, Currency = p.Currency, OwnerId = p.OwnerId,
        Provider = p.Provider, ProviderPaymentId = p.ProviderPaymentId, ProviderReference = p.ProviderReference, Status = p.Status,
        RefundedMinor = p.RefundedMinor, RedirectUrl = p.RedirectUrl, FailureReason = p.FailureReason, CreatedAt = p.CreatedAt,
        UpdatedAt = p.UpdatedAt, PaidAt = p.PaidAt,
    };
}
