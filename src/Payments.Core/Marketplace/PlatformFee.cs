using Payments.Core.Errors;

namespace Payments.Core.Marketplace;

/// <summary>
/// How a vendor order's money is split: the platform keeps <c>floor(total × bps / 10 000)</c> minor units
/// and the vendor gets the rest. Basis points and minor units are integers, so the split is exact in every
/// currency (JPY 0 decimals, KWD 3): seed 002 multiplied a float percentage, which drifts by a cent on
/// amounts like 0.29 × 100 and cannot say which way it rounded.
/// </summary>
public readonly record struct Split(Money.Money Total, Money.Money Vendor, Money.Money Fee);

public static class PlatformFee
{
    /// <summary>2.5 %, the fee a new vendor gets unless an admin sets another.</summary>
    public const int DefaultBps = 250;

    public const int MaxBps = 10_000;

    /// <summary>Splits <paramref name="total"/>: the fee is rounded down (the vendor never gets less than its share).</summary>
    public static Split Of(Money.Money total, int feeBps)
    {
        if (feeBps is < 0 or > MaxBps) throw new ArgumentOutOfRangeException(nameof(feeBps), feeBps, "Basis points are 0 to 10 000.");
        if (total.IsNegative) throw new ArgumentOutOfRangeException(nameof(total), total, "A payment's total is not negative.");
        // MultiplyRatio computes in 128 bits and rounds toward zero: floor for a non-negative total.
        var fee = total.MultiplyRatio(feeBps, MaxBps);
        return new Split(total, total - fee, fee);
    }

    /// <summary>Checks a fee an admin asks for.</summary>
    public static int Validate(int? bps) =>
        bps is >= 0 and <= MaxBps ? bps.Value
        : throw PaymentsException.Validation($"'platform_fee_bps' is basis points from 0 to {MaxBps} (250 = 2.5 %).");
}
