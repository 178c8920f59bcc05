using Payments.Core.Money;

namespace Payments.Server.Features.Admin;

/// <summary>
/// Daily revenue per currency, from paid payments (succeeded, partially refunded, refunded) by
/// their paid day in UTC: what was paid, what of it has been refunded so far, and the net. Sums are
/// <see cref="Money"/> (long minor units, checked): currencies are never added to each other.
/// </summary>
public static class Revenue
{
    public sealed record PaidRow(DateTimeOffset PaidAt, string Currency, long AmountMinor, long RefundedMinor);

    public sealed record Day(DateOnly Date, int Payments, Money Gross, Money Refunded)
    {
        public Money Net => Gross - Refunded;
    }

    public sealed record Series(Currency Currency, IReadOnlyList<Day> Days)
    {
        public Money Gross => Days.Aggregate(Money.Zero(Currency), (sum, d) => sum + d.Gross);
        public Money Net => Days.Aggregate(Money.Zero(Currency), (sum, d) => sum + d.Net);
        public int Payments => Days.Sum(d => d.Payments);
    }

    /// <summary>One series per currency that has payments, every day from <paramref name="first"/> to <paramref name="last"/> present (zero when nothing was paid).</summary>
    public static IReadOnlyList<Series> Daily(IEnumerable<PaidRow> rows, DateOnly first, DateOnly last)
    {
        var byCurrency = new SortedDictionary<string, Dictionary<DateOnly, Day>>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var date = DateOnly.FromDateTime(row.PaidAt.UtcDateTime);
            if (date < first || date > last) continue;
            var currency = Currency.Of(row.Currency);
            if (!byCurrency.TryGetValue(currency.Code, out var days)) byCurrency[currency.Code] = days = [];
            var day = days.GetValueOrDefault(date) ?? new Day(date, 0, Money.Zero(currency), Money.Zero(currency));
            days[date] = day with
            {
                Payments = day.Payments + 1,
                Gross = day.Gross + new Money(row.AmountMinor, currency),
                Refunded = day.Refunded + new Money(row.RefundedMinor, currency),
            };
        }
        return byCurrency.Select(pair =>
        {
            var currency = Currency.Of(pair.Key);
            var days = new List<Day>();
            for (var date = first; date <= last; date = date.AddDays(1))
                days.Add(pair.Value.GetValueOrDefault(date) ?? new Day(date, 0, Money.Zero(currency), Money.Zero(currency)));
            return new Series(currency, days);
        }).ToList();
    }
}
