namespace Payments.Server.Data.Entities;

/// <summary>
/// A user's place in the credit system: their referral code and who referred them. The row also
/// exists to be locked (<c>FOR UPDATE</c>) by every change that must see the user's balance and
/// purchases as they stand. It holds no balance: a balance is the sum of the user's ledger entries.
/// </summary>
public sealed class CreditAccount
{
    public required string UserId { get; init; }

    /// <summary>This user's own code, given to people they refer; generated once, unique.</summary>
    public required string ReferralCode { get; init; }

    /// <summary>The code of whoever referred this user; set once, before their first purchase.</summary>
    public string? ReferredByCode { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>What a payment grants when it succeeds: written with the payment at create-intent, never changed.</summary>
public sealed class CreditPurchase
{
    public required string PaymentId { get; init; }
    public required string UserId { get; init; }
    public required long Credits { get; init; }

    /// <summary>The package id bought, or null for a custom amount.</summary>
    public string? Package { get; init; }
}

/// <summary>
/// One balanced movement of credits (table <c>credit_transactions</c>; built from a <see cref="Core.Credits.CreditPosting"/>).
/// UNIQUE(kind, user_id, reference) is the exactly-once key: a second grant for a payment, a second
/// referral bonus for a user, or a second spend with one reference cannot be inserted.
/// </summary>
public sealed class LedgerTransaction
{
    /// <summary><c>ctx_…</c>, time-ordered.</summary>
    public required string Id { get; init; }

    /// <summary>purchase, referral_bonus, refund or spend.</summary>
    public required string Kind { get; init; }

    public required string UserId { get; init; }
    public required string Reference { get; init; }

    /// <summary>The payment behind a purchase, a referral bonus or a refund.</summary>
    public string? PaymentId { get; init; }

    /// <summary>Free text from the host application (spends).</summary>
    public string? Memo { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public List<LedgerEntry> Entries { get; init; } = [];
}

/// <summary>One line of a ledger transaction (table <c>credit_entries</c>): credits into (positive) or out of (negative) an account.</summary>
public sealed class LedgerEntry
{
    public long Id { get; init; }
    public string TransactionId { get; init; } = null!;

    /// <summary><c>user:&lt;id&gt;</c>, <c>platform:sales</c>, <c>platform:bonus</c>, <c>platform:spent</c>.</summary>
    public required string Account { get; init; }

    public required long Amount { get; init; }
}
