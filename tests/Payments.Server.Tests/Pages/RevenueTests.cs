using Payments.Core.Money;
using Payments.Server.Features.Admin;

namespace Payments.Server.Tests.Pages;

public class RevenueTests
{
    private static readonly DateOnly First = new(2025, 11, 20);
    private static readonly DateOnly Last = new(2025, 11, 22);

    private static Revenue.PaidRow Row(string utc, string currency, long amount, long refunded = 0) =>
        new(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), currency, amount, refunded);

    [Fact]
    public void Each_currency_is_summed_on_its_own_per_utc_day_with_every_day_present()
    {
        var series = Revenue.Daily(
        [
            Row("2025-11-20T23:59:59+00:00", "EUR", 1900),
            Row("2025-11-21T00:30:00+01:00", "EUR", 2900, 900), // 23:30 UTC on the 20th
            Row("2025-11-22T10:00:00Z", "JPY", 1900),
            Row("2025-11-22T11:00:00Z", "JPY", 1900, 1900),
        ], First, Last);

        Assert.Equal(["EUR", "JPY"], series.Select(s => s.Currency.Code));
        var eur = series[0];
        Assert.Equal([First, First.AddDays(1), Last], eur.Days.Select(d => d.Date));
        Assert.Equal((2, Money.Of(4800, "EUR"), Money.Of(900, "EUR"), Money.Of(3900, "EUR")),
            (eur.Days[0].Payments, eur.Days[0].Gross, eur.Days[0].Refunded, eur.Days[0].Net));
        Assert.True(eur.Days[1].Net.IsZero && eur.Days[2].Net.IsZero);
        Assert.Equal(Money.Of(1900, "JPY"), series[1].Net);
        Assert.Equal("1900", series[1].Days[2].Net.ToDecimalString());
    }

    [Fact]
    public void Payments_paid_outside_the_period_are_left_out()
    {
        var series = Revenue.Daily([Row("2025-11-19T23:59:59Z", "EUR", 1900), Row("2025-11-23T00:00:00Z", "EUR", 1900)], First, Last);
        Assert.Empty(series);
    }

    [Fact]
    public void Sums_that_do_not_fit_in_minor_units_fail_instead_of_wrapping()
    {
        Assert.Throws<OverflowException>(() =>
            Revenue.Daily([Row("2025-11-20T10:00:00Z", "EUR", long.MaxValue), Row("2025-11-20T11:00:00Z", "EUR", 1)], First, Last));
    }
}
