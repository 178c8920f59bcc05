namespace Payments.Server.Data.Entities;

/// <summary>A product of our catalog (migration 0015); its id is the configuration's ("pro").</summary>
public sealed class CatalogProductRow
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// One version of a configured price: new terms are a new row (<c>prc_…</c>), the previous one archived.
/// At most one row per <see cref="LookupKey"/> is current (not archived).
/// </summary>
public sealed class CatalogPriceRow
{
    public required string Id { get; init; }
    public required string LookupKey { get; init; }
    public required string ProductId { get; init; }
    public required long AmountMinor { get; init; }
    public required string Currency { get; init; }

    /// <summary>day, week, month or year.</summary>
    public required string BillingInterval { get; init; }
    public required int IntervalCount { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ArchivedAt { get; set; }
}

/// <summary>A user's billing information, its VAT number's standing with VIES, and what providers still have to be told.</summary>
public sealed class BillingCustomerRow
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public required string Name { get; set; }
    public required string Email { get; set; }
    public required string AddressLine1 { get; set; }
    public string? AddressLine2 { get; set; }
    public required string AddressCity { get; set; }
    public string? AddressPostalCode { get; set; }
    public required string AddressCountry { get; set; }

    /// <summary>Canonical ("DE123456789", "EL123456789"), or null.</summary>
    public string? VatId { get; set; }

    /// <summary>none, pending, valid, invalid or unverified (<see cref="Core.Billing.VatStatus"/>).</summary>
    public required string VatStatus { get; set; }
    public DateTimeOffset? VatCheckedAt { get; set; }

    /// <summary>VIES's requestIdentifier for the check that decided the status.</summary>
    public string? VatConsultationNumber { get; set; }

    /// <summary>The code VIES gave for not answering (MS_UNAVAILABLE, …) while unverified.</summary>
    public string? VatError { get; set; }
    public int VatFailures { get; set; }

    /// <summary>When to ask VIES (again); null when nothing is to be asked.</summary>
    public DateTimeOffset? VatNextCheckAt { get; set; }

    /// <summary>none, reverse or exempt (<see cref="Core.Billing.TaxExemption"/>).</summary>
    public required string TaxExempt { get; set; }
    public int SyncFailures { get; set; }

    /// <summary>When to tell the providers (again); null when they know this version.</summary>
    public DateTimeOffset? SyncDueAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A provider's id for one of our records: unique per provider both ways.</summary>
public abstract class ExternalRecord
{
    public required string Provider { get; init; }
    public required string ExternalId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the provider was last told about our record.</summary>
    public DateTimeOffset SyncedAt { get; set; }
}

public sealed class ExternalProduct : ExternalRecord
{
    public required string ProductId { get; init; }
}

public sealed class ExternalPrice : ExternalRecord
{
    public required string PriceId { get; init; }
}

public sealed class ExternalCustomer : ExternalRecord
{
    public required string CustomerId { get; init; }
}

public sealed class ExternalSubscription : ExternalRecord
{
    public required string SubscriptionId { get; init; }
}
