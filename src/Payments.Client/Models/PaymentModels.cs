namespace Payments.Client;

/// <summary>
/// <c>POST /api/v1/payment/create-intent</c>: exactly one of <see cref="Plan"/>, <see cref="CreditPackage"/>,
/// <see cref="Credits"/>, or (a service key only) <see cref="Amount"/> with <see cref="Currency"/> and <see cref="Reference"/>.
/// The factories below build each kind. With a plan or credits the price is the server's; an amount sent along is ignored.
/// </summary>
public sealed class CreateIntentRequest
{
    public string? Plan { get; init; }
    public string? CreditPackage { get; init; }
    public long? Credits { get; init; }

    /// <summary>Minor units (12345 THB = 123.45 THB; JPY has none). Service keys only.</summary>
    public long? Amount { get; init; }

    /// <summary>ISO 4217, upper case (<c>THB</c>).</summary>
    public string? Currency { get; init; }

    public string? Description { get; init; }

    /// <summary>Your id for what is paid: one payment per caller and reference, a repeat answers the first (<see cref="PaymentIntent.Repeated"/>).</summary>
    public string? Reference { get; init; }

    /// <summary>Buy on behalf of this user (service keys and admins).</summary>
    public string? UserId { get; init; }

    /// <summary>Up to 20 string pairs (keys ≤ 40 characters, values ≤ 500); returned and sent in webhooks exactly as given.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Where the customer lands after paying; on a host the service's ALLOWED_REDIRECT_HOSTS lists.</summary>
    public string? SuccessUrl { get; init; }

    public string? CancelUrl { get; init; }

    /// <summary><c>hosted</c> (default: redirect to <see cref="PaymentIntent.RedirectUrl"/>) or <c>embedded</c> (Stripe: <see cref="PaymentIntent.ClientSecret"/>).</summary>
    public string? Mode { get; init; }

    /// <summary>The provider's name (<c>stripe</c>, <c>paypal</c>, <c>dummy</c>); null: the service's default.</summary>
    public string? Provider { get; init; }

    public static CreateIntentRequest ForPlan(string plan) => new() { Plan = plan };

    public static CreateIntentRequest ForCreditPackage(string package, string? userId = null) => new() { CreditPackage = package, UserId = userId };

    public static CreateIntentRequest ForCredits(long credits, string? userId = null) => new() { Credits = credits, UserId = userId };

    /// <summary>An amount the host priced itself (its receipt, its order). Service keys only.</summary>
    public static CreateIntentRequest ForAmount(long amount, string currency, string description, string reference) =>
        new() { Amount = amount, Currency = currency, Description = description, Reference = reference };
}

/// <summary>What create-intent answers: where to send the customer.</summary>
public sealed class PaymentIntent
{
    public string PaymentId { get; init; } = "";
    public string Provider { get; init; } = "";
    public string? ProviderPaymentId { get; init; }
    public string? RedirectUrl { get; init; }
    public string? ClientSecret { get; init; }
    public long Amount { get; init; }
    public string Currency { get; init; } = "";
    public string Status { get; init; } = "";
    public string? Reference { get; init; }
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>True when this answers an earlier request with the same reference: no new payment was made.</summary>
    public bool Repeated { get; init; }
}

/// <summary>What verify and capture answer.</summary>
public sealed class PaymentStatusResult
{
    public string PaymentId { get; init; } = "";
    public string Status { get; init; } = "";
    public string? Plan { get; init; }
    public long Amount { get; init; }
    public string Currency { get; init; } = "";
    public long Refunded { get; init; }
}

/// <summary>A payment as the API and every <c>payment.*</c> webhook show it.</summary>
public sealed class Payment
{
    public string PaymentId { get; init; } = "";
    public string Status { get; init; } = "";
    public string? Plan { get; init; }
    public string Description { get; init; } = "";
    public long Amount { get; init; }
    public string Currency { get; init; } = "";
    public long Refunded { get; init; }
    public string Provider { get; init; } = "";
    public string? ProviderPaymentId { get; init; }
    public string? ProviderReference { get; init; }
    public string? OwnerId { get; init; }
    public string? FailureReason { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? PaidAt { get; init; }
    public string? Reference { get; init; }
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>While the checkout is open (created or pending); then null.</summary>
    public string? RedirectUrl { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>A refund, as <c>GET /api/v1/payments/{id}</c> and the <c>refund.*</c> webhooks show it.</summary>
public sealed class Refund
{
    public string RefundId { get; init; } = "";

    /// <summary>Set in webhooks; in <see cref="PaymentDetail.Refunds"/> the payment is the one around it.</summary>
    public string? PaymentId { get; init; }

    public long Amount { get; init; }
    public string Currency { get; init; } = "";
    public string Status { get; init; } = "";
    public string? Reason { get; init; }
    public string? ProviderRefundId { get; init; }
    public string? FailureReason { get; init; }

    /// <summary>Who asked: an admin, or <c>provider:&lt;name&gt;</c> for a refund made at the provider's dashboard.</summary>
    public string RequestedBy { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary><c>GET /api/v1/payments/{id}</c>.</summary>
public sealed class PaymentDetail
{
    public Payment Payment { get; init; } = new();
    public IReadOnlyList<Refund> Refunds { get; init; } = [];
}

/// <summary>What <c>POST /api/v1/payment/refund</c> answers.</summary>
public sealed class RefundResult
{
    public string RefundId { get; init; } = "";
    public string PaymentId { get; init; } = "";
    public long Amount { get; init; }
    public string Currency { get; init; } = "";
    public string Status { get; init; } = "";
    public string? FailureReason { get; init; }

    /// <summary>The payment's status afterwards (<c>partially_refunded</c>, <c>refunded</c>).</summary>
    public string PaymentStatus { get; init; } = "";

    /// <summary>All refunded so far, in minor units.</summary>
    public long Refunded { get; init; }
}

/// <summary>Filters of <c>GET /api/v1/payments</c>; all optional.</summary>
public sealed class PaymentListFilter
{
    public string? Status { get; init; }
    public string? Provider { get; init; }
    public string? Reference { get; init; }

    /// <summary>Created at or after.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Created before (exclusive).</summary>
    public DateTimeOffset? To { get; init; }

    public int? Page { get; init; }

    /// <summary>1 to 100 (default 20).</summary>
    public int? PageSize { get; init; }
}

/// <summary>One page of a list, with the total.</summary>
public sealed class PageOf<T>
{
    public IReadOnlyList<T> Items { get; init; } = [];
    public int Page { get; init; }
    public int PageSize { get; init; }
    public int Total { get; init; }
}

/// <summary>The payment statuses the service reports (strings on the wire, so a newer service's status still reads).</summary>
public static class PaymentStatuses
{
    public const string Created = "created";
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Canceled = "canceled";
    public const string Expired = "expired";
    public const string Conflicted = "conflicted";
    public const string PartiallyRefunded = "partially_refunded";
    public const string Refunded = "refunded";
}
