namespace Payments.Core.Billing;

/// <summary>How often a recurring price bills.</summary>
public enum BillingInterval { Day, Week, Month, Year }

public static class BillingIntervals
{
    /// <summary>The interval as configuration, the API and Stripe write it: "day", "week", "month", "year".</summary>
    public static string ToWire(this BillingInterval interval) => interval switch
    {
        BillingInterval.Day => "day",
        BillingInterval.Week => "week",
        BillingInterval.Month => "month",
        BillingInterval.Year => "year",
        _ => throw new ArgumentOutOfRangeException(nameof(interval), interval, null),
    };

    /// <summary>Case-insensitive; only the four wire names (no plurals, no numbers).</summary>
    public static bool TryParse(string? text, out BillingInterval interval)
    {
        foreach (var candidate in Enum.GetValues<BillingInterval>())
        {
            if (!string.Equals(text?.Trim(), candidate.ToWire(), StringComparison.OrdinalIgnoreCase)) continue;
            interval = candidate;
            return true;
        }
        interval = default;
        return false;
    }

    /// <summary>
    /// The largest interval count: at most three years between two bills (3 years, 36 months, 156 weeks,
    /// 1095 days), which is Stripe's limit too, so a price we accept is one every provider can bill.
    /// </summary>
    public static int MaxCount(this BillingInterval interval) => interval switch
    {
        BillingInterval.Day => 1095,
        BillingInterval.Week => 156,
        BillingInterval.Month => 36,
        BillingInterval.Year => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(interval), interval, null),
    };

    /// <summary>"month", "3 months".</summary>
    public static string Describe(this BillingInterval interval, int count) =>
        count == 1 ? interval.ToWire() : $"{count} {interval.ToWire()}s";
}
