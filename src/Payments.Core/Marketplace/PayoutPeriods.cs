using Payments.Core.Providers;

namespace Payments.Core.Marketplace;

/// <summary>
/// Which payout period a day belongs to, for the payout worker: the schedule's latest due date on or before
/// <c>today</c> (daily: today; weekly: the last anchor weekday; monthly: the last anchor day, the month's last day when
/// the month is shorter). One payout per period, so a round that runs late (a node was down on the due day) still
/// pays that period, and a second round the same period pays nothing more. Manual schedules have no period.
/// </summary>
public static class PayoutPeriods
{
    public static DateOnly? Due(PayoutSchedule schedule, DateOnly today) => schedule.Interval switch
    {
        PayoutInterval.Daily => today,
        PayoutInterval.Weekly => today.AddDays(-(((int)today.DayOfWeek - (int)Weekday(schedule.WeeklyAnchor) + 7) % 7)),
        PayoutInterval.Monthly => Monthly(schedule.MonthlyAnchor ?? 1, today),
        PayoutInterval.Manual => null,
        _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule.Interval, null),
    };

    private static DateOnly Monthly(int anchor, DateOnly today)
    {
        var thisMonth = new DateOnly(today.Year, today.Month, Math.Min(anchor, DateTime.DaysInMonth(today.Year, today.Month)));
        if (thisMonth <= today) return thisMonth;
        var last = today.AddMonths(-1);
        return new DateOnly(last.Year, last.Month, Math.Min(anchor, DateTime.DaysInMonth(last.Year, last.Month)));
    }

    private static DayOfWeek Weekday(string? anchor) =>
        Enum.TryParse<DayOfWeek>(anchor ?? "monday", ignoreCase: true, out var day) ? day
        : throw new ArgumentException($"'{anchor}' is not a weekday.", nameof(anchor));
}
