using Payments.Core.Money;
using Payments.Core.Payments;

namespace Payments.Server.Data.Entities;

/// <summary>One payment as we know it. Amounts are minor units; the provider only ever gets told.</summary>
public sealed class Payment
{
    /// <summary>Our public id, <c>pay_…</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Plan key (<c>basic</c>) for plan purchases; null for other kinds of purchase.</summary>
    public string? Plan { get; init; }

    /// <summary>Line item as the customer and the receipt see it ("Pro plan").</summary>
    public required string Description { get; init; }

    public required long AmountMinor { get; init; }
    public required string Currency { get; init; }

    /// <summary>User id of the signed-in buyer; null for guests.</summary>
    public string? OwnerId { get; init; }

    public required string Provider { get; init; }

    /// <summary>The provider's id for the checkout (session, order, <c>dm_…</c>).</summary>
    public string? ProviderPaymentId { get; set; }

    /// <summary>A second provider id events may carry (Stripe PaymentIntent, PayPal capture).</summary>
    public string? ProviderReference { get; set; }

    public PaymentStatus Status { get; set; }
    public long RefundedMinor { get; set; }
    public string? RedirectUrl { get; set; }
    public string? FailureReason { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? PaidAt { get; set; }

    /// <summary>When the reconciliation worker last asked the provider about this payment.</summary>
    public DateTimeOffset? CheckedAt { get; set; }

    /// <summary>Whose <see cref="Reference"/> this is (<c>service</c>, <c>user:42</c>, <c>key:ak_…</c>); see <c>HostReference</c>.</summary>
    public string? ReferenceScope { get; init; }

    /// <summary>The caller's own id for what is paid (<c>receipt-17</c>); one payment per scope and reference.</summary>
    public string? Reference { get; init; }

    /// <summary>The host's metadata as a JSON object of strings, kept verbatim; null when none was sent.</summary>
    public string? Metadata { get; init; }

    /// <summary>When the provider's checkout closes (a payment still open after it expires).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>
    /// Which wallet paid, as the provider's charge says (<c>google_pay</c>, <c>apple_pay</c>); null when
    /// none did or it was not known when the payment was written. Written once, with the provider's answer.
    /// </summary>
    public string? Wallet { get; set; }

    public Money Amount => new(AmountMinor, Core.Money.Currency.Of(Currency));

    /// <summary>What has been given back so far, in the payment's currency. Computed (no setter), so EF does not map it.</summary>
    public Money Refunded => new(RefundedMinor, Amount.Currency);

    public PaymentSnapshot Snapshot() => new(Status, Amount, RefundedMinor);
}
