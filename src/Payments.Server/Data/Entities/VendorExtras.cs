namespace Payments.Server.Data.Entities;

/// <summary>A vendor's customer at the vendor's provider (table <c>vendor_customers</c>): where its saved methods live.</summary>
public sealed class VendorCustomer
{
    public required string VendorId { get; init; }

    /// <summary>The host application's id for its customer.</summary>
    public required string CustomerId { get; init; }
    public required string Provider { get; init; }
    public required string ProviderCustomerId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A payout our payout worker made (table <c>vendor_payouts</c>); one per vendor, currency and schedule period.</summary>
public sealed class VendorPayout
{
    /// <summary><c>po_…</c>.</summary>
    public required string Id { get; init; }
    public required string VendorId { get; init; }
    public required string Currency { get; init; }

    /// <summary>The schedule's due date this payout belongs to (yyyy-MM-dd).</summary>
    public required string Period { get; init; }
    public required string Provider { get; init; }
    public required string AccountId { get; init; }
    public long AmountMinor { get; init; }

    /// <summary>pending (asked, no answer yet), in_transit, paid, failed or canceled.</summary>
    public required string Status { get; set; }
    public string? ProviderPayoutId { get; set; }
    public string? FailureCode { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}
