namespace Payments.Client;

/// <summary><c>GET /api/v1/credits/packages</c>: what credits cost (1 credit = 1 US cent), priced on the server.</summary>
public sealed class CreditCatalog
{
    public IReadOnlyList<CreditPackage> Packages { get; init; } = [];
    public CreditRange Custom { get; init; } = new();

    /// <summary>The price of one credit in minor units of <see cref="Currency"/>.</summary>
    public long AmountPerCredit { get; init; }

    public string Currency { get; init; } = "";
}

public sealed class CreditPackage
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public long Credits { get; init; }
    public long Amount { get; init; }
    public string Currency { get; init; } = "";
    public string Display { get; init; } = "";
}

/// <summary>The smallest and largest custom number of credits one can buy.</summary>
public sealed class CreditRange
{
    public long MinCredits { get; init; }
    public long MaxCredits { get; init; }
}

public sealed class CreditBalance
{
    public string UserId { get; init; } = "";
    public long Credits { get; init; }

    /// <summary>False while the balance is zero or negative (a refund took back credits already spent).</summary>
    public bool CanSpend { get; init; }
}

/// <summary>One movement of a user's credits.</summary>
public sealed class CreditTransaction
{
    public string TransactionId { get; init; } = "";

    /// <summary><c>purchase</c>, <c>referral_bonus</c>, <c>refund</c> or <c>spend</c>.</summary>
    public string Kind { get; init; } = "";

    /// <summary>What it did to the balance (negative: credits left).</summary>
    public long Amount { get; init; }

    public string? Reference { get; init; }
    public string? PaymentId { get; init; }
    public string? Memo { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed class Referral
{
    public string UserId { get; init; } = "";
    public string ReferralCode { get; init; } = "";
    public string? ReferredByCode { get; init; }
}

/// <summary>What <c>POST /api/v1/credits/spend</c> answers.</summary>
public sealed class CreditSpend
{
    public string TransactionId { get; init; } = "";
    public string UserId { get; init; } = "";
    public long Amount { get; init; }
    public string Reference { get; init; } = "";
    public string? Memo { get; init; }

    /// <summary>The balance after the spend.</summary>
    public long Balance { get; init; }

    /// <summary>True when this answers an earlier spend with the same reference (nothing was spent now).</summary>
    public bool Replayed { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
