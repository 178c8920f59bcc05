namespace Payments.Server.Data.Entities;

/// <summary>A seller on the platform (table <c>vendors</c>); its account at a provider and its payout settings.</summary>
public sealed class Vendor
{
    /// <summary><c>ven_…</c>.</summary>
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string Email { get; set; }

    /// <summary>ISO 3166-1 alpha-2, where the vendor's account is opened.</summary>
    public required string Country { get; init; }

    /// <summary>The vendor's default currency (ISO 4217).</summary>
    public required string Currency { get; init; }

    /// <summary>The platform's fee in basis points (250 = 2.5 %); set by admins only.</summary>
    public int PlatformFeeBps { get; set; }

    /// <summary>The provider holding the connected account; null until setup.</summary>
    public string? Provider { get; set; }
    public string? AccountId { get; set; }

    /// <summary>daily, weekly, monthly or manual.</summary>
    public string PayoutInterval { get; set; } = "weekly";
    public string? PayoutWeeklyAnchor { get; set; }
    public int? PayoutMonthlyAnchor { get; set; }
    public long MinimumPayoutMinor { get; set; }

    public required string CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A connected account as its provider last reported it (table <c>connected_accounts</c>).</summary>
public sealed class ConnectedAccountRow
{
    public required string Provider { get; init; }
    public required string AccountId { get; init; }

    /// <summary>The vendor the account's metadata names (null when the provider did not say).</summary>
    public string? VendorId { get; set; }
    public bool ChargesEnabled { get; set; }
    public bool PayoutsEnabled { get; set; }
    public bool DetailsSubmitted { get; set; }

    /// <summary>A JSON array of requirement names still due.</summary>
    public string RequirementsDue { get; set; } = "[]";
    public string? DisabledReason { get; set; }

    /// <summary>When the provider said so (the event's time); null when only our create call answered.</summary>
    public DateTimeOffset? ReportedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A destination charge's split (table <c>vendor_payments</c>), written with the payment itself.</summary>
public sealed class VendorPayment
{
    public required string PaymentId { get; init; }
    public required string VendorId { get; init; }
    public required string OrderId { get; init; }
    public required string AccountId { get; init; }
    public long AmountVendorMinor { get; init; }
    public long PlatformFeeMinor { get; init; }
    public int PlatformFeeBps { get; init; }
}

/// <summary>One balanced movement in the marketplace ledger (table <c>market_transactions</c>).</summary>
public sealed class MarketTransaction
{
    /// <summary><c>mtx_…</c>.</summary>
    public required string Id { get; init; }

    /// <summary>sale or refund.</summary>
    public required string Kind { get; init; }
    public required string PaymentId { get; init; }
    public required string VendorId { get; init; }

    /// <summary>"sale", or the refunded total a take-back brings the payment to.</summary>
    public required string Reference { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public List<MarketEntryRow> Entries { get; init; } = [];
}

/// <summary>One line of a marketplace transaction (table <c>market_entries</c>).</summary>
public sealed class MarketEntryRow
{
    public long Id { get; init; }
    public string TransactionId { get; init; } = null!;

    /// <summary><c>vendor:ven_…</c>, <c>platform:fees</c>, <c>customers:payments</c>.</summary>
    public required string Account { get; init; }
    public required string Currency { get; init; }
    public required long Amount { get; init; }
}
