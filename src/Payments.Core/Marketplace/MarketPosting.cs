namespace Payments.Core.Marketplace;

/// <summary>Why money moved in the marketplace ledger; each kind has its exactly-once key (payment + reference).</summary>
public enum MarketKind { Sale, Refund }

/// <summary>The ledger's accounts. The customer side is one clearing account, so every posting sums to zero.</summary>
public static class MarketAccounts
{
    /// <summary>What customers paid through destination charges (negative: money that came in, net of refunds).</summary>
    public const string Customers = "customers:payments";

    /// <summary>The platform's fees (positive: fees kept, net of fees given back).</summary>
    public const string Fees = "platform:fees";

    public const string VendorPrefix = "vendor:";

    public static string Vendor(string vendorId) => VendorPrefix + vendorId;
}

public sealed record MarketEntry(string Account, long Amount);

/// <summary>
/// A balanced posting in one currency. <see cref="Create"/> refuses entries that do not sum to zero, so the
/// marketplace ledger, like the credits ledger, can never be handed a posting that makes or loses money.
/// Zero entries are left out (a 0 % fee moves nothing to the platform).
/// </summary>
public sealed record MarketPosting(MarketKind Kind, string PaymentId, string VendorId, string Reference, Money.Currency Currency, IReadOnlyList<MarketEntry> Entries)
{
    public static MarketPosting? Create(MarketKind kind, string paymentId, string vendorId, string reference, Money.Currency currency, params MarketEntry[] entries)
    {
        var moving = entries.Where(e => e.Amount != 0).ToArray();
        if (moving.Length == 0) return null;
        if (moving.Length < 2) throw new ArgumentException("A posting moves money between at least two accounts.", nameof(entries));
        if (moving.Select(e => e.Account).Distinct(StringComparer.Ordinal).Count() != moving.Length)
            throw new ArgumentException("An account appears once per posting.", nameof(entries));
        Int128 sum = 0;
        foreach (var e in moving) sum += e.Amount;
        if (sum != 0) throw new ArgumentException($"Entries of a {kind} posting sum to {sum}, not zero.", nameof(entries));
        return new MarketPosting(kind, paymentId, vendorId, reference, currency, moving);
    }

    public long AmountFor(string account) => Entries.Where(e => e.Account == account).Sum(e => e.Amount);
}

/// <summary>
/// The marketplace's money rules, pure: a sale's posting, and what a refund takes back. A refund of
/// <c>r</c> (cumulative) out of <c>p</c> takes back <c>floor(fee × r / p)</c> from the platform and the rest
/// from the vendor, so a full refund returns exactly the fee and the vendor's share. What earlier
/// refunds took is subtracted, so a total reported twice, or an older total after a newer one, takes nothing more.
/// </summary>
public static class MarketRules
{
    public static MarketPosting Sale(string paymentId, string vendorId, Split split) =>
        MarketPosting.Create(MarketKind.Sale, paymentId, vendorId, "sale", split.Total.Currency,
            new MarketEntry(MarketAccounts.Customers, -split.Total.Minor),
            new MarketEntry(MarketAccounts.Vendor(vendorId), split.Vendor.Minor),
            new MarketEntry(MarketAccounts.Fees, split.Fee.Minor))
        ?? throw new ArgumentException("A sale moves a positive amount.", nameof(split));

    /// <summary>What a cumulative refund of <paramref name="refundedTotal"/> should have taken back in all.</summary>
    public static (long Fee, long Vendor) TakeBackTarget(Split split, long refundedTotal)
    {
        var refunded = Math.Clamp(refundedTotal, 0, split.Total.Minor);
        if (split.Total.Minor == 0) return (0, 0);
        var fee = new Money.Money(split.Fee.Minor, split.Total.Currency).MultiplyRatio(refunded, split.Total.Minor).Minor;
        return (fee, refunded - fee);
    }

    /// <summary>The posting that brings the take-back up to <paramref name="refundedTotal"/>, or null when nothing is left to take.</summary>
    /// <param name="takenFee">Fees already given back by earlier refund postings (positive).</param>
    /// <param name="takenVendor">What earlier refund postings already took from the vendor (positive).</param>
    public static MarketPosting? Refund(string paymentId, string vendorId, Split split, long refundedTotal, long takenFee, long takenVendor)
    {
        var (fee, vendor) = TakeBackTarget(split, refundedTotal);
        var (moreFee, moreVendor) = (Math.Max(0, fee - takenFee), Math.Max(0, vendor - takenVendor));
        return MarketPosting.Create(MarketKind.Refund, paymentId, vendorId, refundedTotal.ToString(System.Globalization.CultureInfo.InvariantCulture),
            split.Total.Currency,
            new MarketEntry(MarketAccounts.Customers, moreFee + moreVendor),
            new MarketEntry(MarketAccounts.Vendor(vendorId), -moreVendor),
            new MarketEntry(MarketAccounts.Fees, -moreFee));
    }
}
