using Payments.Core.Payments;
using Payments.Server.Data.Entities;
using Payments.Server.Data.Sql;

namespace Payments.Server.Data;

/// <summary>
/// The fields a settlement changes — listed once, here. The webhook batch's UPDATE is made from
/// <see cref="Columns"/>, a rolled-back delivery puts them back with <see cref="Restore"/>, and the
/// schema test keeps every index off them (so settling stays a HOT update on PostgreSQL).
/// </summary>
public readonly record struct PaymentState(
    PaymentStatus Status, long RefundedMinor, DateTimeOffset UpdatedAt, DateTimeOffset? PaidAt, string? FailureReason, string? ProviderReference)
{
    /// <summary>
    /// Column name, how its value is read from a payment, and whether every settlement may change it
    /// (then no index may cover it). <c>provider_reference</c> is the exception: written once, when a
    /// payment first learns its secondary id, and indexed because later events find the payment by it.
    /// </summary>
    public static readonly (string Name, Func<Payment, SqlDialect, Arg> Value, bool ChangesOnEverySettlement)[] Columns =
    [
        ("status", (p, _) => Arg.Text(p.Status.ToWire()), true),
        ("refunded_minor", (p, _) => Arg.Long(p.RefundedMinor), true),
        ("updated_at", (p, d) => d.Time(p.UpdatedAt), true),
        ("paid_at", (p, d) => d.Time(p.PaidAt), true),
        ("failure_reason", (p, _) => Arg.Text(p.FailureReason), true),
        ("provider_reference", (p, _) => Arg.Text(p.ProviderReference), false),
    ];

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
        UpdatedAt = p.UpdatedAt, PaidAt = p.PaidAt, CheckedAt = p.CheckedAt, ReferenceScope = p.ReferenceScope, Reference = p.Reference,
        Metadata = p.Metadata, ExpiresAt = p.ExpiresAt, Wallet = p.Wallet,
    };
}
