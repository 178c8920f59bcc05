using Payments.Core.Marketplace;
using Payments.Core.Providers;

namespace Payments.Core.Tests.Marketplace;

public class PayoutPeriodsTests
{
    [Theory]
    // 2026-12-07 is a Monday.
    [InlineData("daily", null, null, "2026-12-07", "2026-12-07")]
    [InlineData("weekly", "monday", null, "2026-12-07", "2026-12-07")]
    [InlineData("weekly", "friday", null, "2026-12-07", "2026-12-04")]
    [InlineData("weekly", "tuesday", null, "2026-12-07", "2026-12-01")]
    [InlineData("monthly", null, 7, "2026-12-07", "2026-12-07")]
    [InlineData("monthly", null, 15, "2026-12-07", "2026-11-15")]
    [InlineData("monthly", null, 31, "2026-12-07", "2026-11-30")] // November has 30 days: its last
    [InlineData("monthly", null, 31, "2027-02-28", "2027-02-28")]
    [InlineData("monthly", null, 30, "2027-03-01", "2027-02-28")]
    public void A_day_belongs_to_the_schedules_latest_due_date_on_or_before_it(string interval, string? weekly, int? monthly, string today, string due)
    {
        var schedule = new PayoutSchedule(Enum.Parse<PayoutInterval>(interval, ignoreCase: true), weekly, monthly);
        Assert.Equal(DateOnly.Parse(due), PayoutPeriods.Due(schedule, DateOnly.Parse(today)));
    }

    [Fact]
    public void A_manual_schedule_has_no_period_so_the_worker_never_pays_it_out() =>
        Assert.Null(PayoutPeriods.Due(new PayoutSchedule(PayoutInterval.Manual), new DateOnly(2026, 12, 7)));
}
