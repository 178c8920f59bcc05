namespace Payments.Core.Credits;

/// <summary>Why credits moved. Each kind has its own exactly-once key (see <see cref="CreditPosting.Reference"/>).</summary>
public enum CreditKind
{
    /// <summary>Credits bought with a payment; reference = the payment id.</summary>
    Purchase,
    /// <summary>The referral bonus of a referred user's first purchase; reference = the referred user's id.</summary>
    ReferralBonus,
    /// <summary>Credits taken back because their payment was refunded; reference = payment id and refunded total.</summary>
    Refund,
    /// <summary>Credits spent in the host application; reference = the host's own reference for it.</summary>
    Spend,
}

public static class CreditKinds
{
    public static string ToWire(this CreditKind kind) => kind switch
    {
        CreditKind.Purchase => "purchase",
        CreditKind.ReferralBonus => "referral_bonus",
        CreditKind.Refund => "refund",
        CreditKind.Spend => "spend",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The kind whose wire name is <paramref name="wire"/> (exact, case-sensitive, as stored).</summary>
    public static bool TryParse(string? wire, out CreditKind kind)
    {
        foreach (var candidate in Enum.GetValues<CreditKind>())
        {
            if (candidate.ToWire() != wire) continue;
            kind = candidate;
            return true;
        }
        kind = default;
        return false;
    }

    /// <summary>Every wire name, in declaration order (for messages that list the allowed values).</summary>
    public static IReadOnlyList<string> WireNames { get; } = Enum.GetValues<CreditKind>().Select(k => k.ToWire()).ToArray();
}

/// <summary>
/// The accounts of the ledger. Every user has one; the platform has one per reason credits enter
/// or leave circulation, so the ledger as a whole always sums to zero and each platform account
/// says how many credits were sold, given away and spent.
/// </summary>
public static class CreditAccounts
{
    /// <summary>Source of bought credits (negative: credits sold, net of refunds).</summary>
    public const string Sales = "platform:sales";

    /// <summary>Source of bonuses (negative: credits given away, net of what refunds took back).</summary>
    public const string Bonus = "platform:bonus";

    /// <summary>Sink of spending (positive: credits the host application consumed).</summary>
    public const string Spent = "platform:spent";

    public const string UserPrefix = "user:";

    public static string User(string userId) => UserPrefix + userId;
}

/// <summary>One line of a posting: this many credits into (positive) or out of (negative) an account.</summary>
public sealed record CreditEntry(string Account, long Amount);

/// <summary>
/// A balanced double-entry posting: credits move between accounts and the entries sum to zero.
/// The only way to build one is <see cref="Create"/>, which refuses anything unbalanced, so the
/// ledger cannot be handed a posting that creates or destroys credits.
/// </summary>
public sealed record CreditPosting
{
    private CreditPosting(CreditKind kind, string userId, string reference, IReadOnlyList<CreditEntry> entries)
    {
        Kind = kind;
        UserId = userId;
        Reference = reference;
        Entries = entries;
    }

    public CreditKind Kind { get; }

    /// <summary>The user this movement is about (the buyer, the referred user, the spender).</summary>
    public string UserId { get; }

    /// <summary>With <see cref="Kind"/> and <see cref="UserId"/>, what makes the movement unique: posting it twice is refused by the store.</summary>
    public string Reference { get; }

    public IReadOnlyList<CreditEntry> Entries { get; }

    /// <summary>What the posting does to one account (0 when it does not touch it).</summary>
    public long AmountFor(string account) => Entries.Where(e => e.Account == account).Sum(e => e.Amount);

    /// <exception cref="ArgumentException">Fewer than two entries, a zero entry, an account twice, or entries that do not sum to zero.</exception>
    public static CreditPosting Create(CreditKind kind, string userId, string reference, params CreditEntry[] entries)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        if (entries.Length < 2) throw new ArgumentException("A posting moves credits between at least two accounts.", nameof(entries));
        if (entries.Any(e => e.Amount == 0 || string.IsNullOrWhiteSpace(e.Account)))
            throw new ArgumentException("Every entry names an account and moves a non-zero amount.", nameof(entries));
        if (entries.Select(e => e.Account).Distinct(StringComparer.Ordinal).Count() != entries.Length)
            throw new ArgumentException("An account appears once per posting.", nameof(entries));
        Int128 sum = 0;
        foreach (var e in entries) sum += e.Amount;
        if (sum != 0) throw new ArgumentException($"Entries of a {kind.ToWire()} posting sum to {sum}, not zero.", nameof(entries));
        return new CreditPosting(kind, userId, reference, entries.ToArray());
    }
}
