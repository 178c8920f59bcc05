namespace Payments.Server.Data.Entities;

/// <summary>
/// A subscription of ours (migration 0017): who, which catalog price version at which net amount and VAT rate, and the
/// provider's state as last fetched. Status strings are Stripe's (<see cref="Core.Providers.SubscriptionStatusNames"/>).
/// </summary>
public sealed class SubscriptionRow
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public required string CustomerId { get; init; }

    /// <summary>The catalog price version (<c>prc_…</c>) it was sold at.</summary>
    public required string PriceId { get; init; }

    /// <summary>The price's key ("pro_monthly"), as the API names it.</summary>
    public required string PriceKey { get; init; }
    public required string Provider { get; init; }
    public required string Status { get; set; }

    /// <summary>Net price of one period (VAT is added per <see cref="TaxRateBp"/>).</summary>
    public required long AmountMinor { get; init; }
    public required string Currency { get; init; }

    /// <summary>The VAT rate agreed when it started, in basis points (1900 = 19 %); 0 for reverse charge or outside the EU.</summary>
    public required int TaxRateBp { get; init; }

    /// <summary>reverse_charge, eu_standard_rate or outside_eu.</summary>
    public required string TaxRule { get; init; }
    public string? TaxCountry { get; init; }
    public DateTimeOffset? CurrentPeriodStart { get; set; }
    public DateTimeOffset? CurrentPeriodEnd { get; set; }
    public bool CancelAtPeriodEnd { get; set; }
    public DateTimeOffset? TrialEnd { get; set; }
    public DateTimeOffset? CanceledAt { get; set; }

    /// <summary>The provider's id of its latest invoice.</summary>
    public string? LatestInvoice { get; set; }

    /// <summary>The provider's id of the hosted checkout that pays the first invoice.</summary>
    public string? CheckoutId { get; set; }
    public string? RedirectUrl { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the provider's state was last fetched and applied (the reconciliation sweep asks again after a while).</summary>
    public DateTimeOffset SyncedAt { get; set; }
}

/// <summary>An invoice of a subscription as last fetched, with our own numbers beside the provider's.</summary>
public sealed class SubscriptionInvoiceRow
{
    public required string Provider { get; init; }
    public required string ExternalId { get; init; }
    public required string SubscriptionId { get; init; }

    /// <summary>The payment a paid invoice became; null until it was paid.</summary>
    public string? PaymentId { get; set; }

    /// <summary>draft, open, paid, uncollectible, void.</summary>
    public required string Status { get; set; }
    public long AmountDueMinor { get; set; }
    public long AmountPaidMinor { get; set; }
    public required string Currency { get; init; }
    public long NetMinor { get; init; }
    public long VatMinor { get; init; }
    public int TaxRateBp { get; init; }
    public required string TaxRule { get; init; }
    public required string CustomerName { get; init; }
    public required string CustomerCountry { get; init; }

    /// <summary>The customer's VAT number when VIES called it valid at the time the invoice was recorded.</summary>
    public string? CustomerVatId { get; init; }
    public DateTimeOffset? PeriodStart { get; set; }
    public DateTimeOffset? PeriodEnd { get; set; }
    public int AttemptCount { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A provider event about a subscription, invoice or customer, waiting to be applied by fetching its record.</summary>
public sealed class BillingQueuedEvent
{
    public long Id { get; init; }
    public required string Provider { get; init; }
    public required string EventId { get; init; }
    public required string EventType { get; init; }

    /// <summary>subscription, invoice or customer.</summary>
    public required string RecordType { get; init; }
    public string? RecordId { get; init; }
    public string? ProviderCustomerId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public string? LastError { get; set; }
}
