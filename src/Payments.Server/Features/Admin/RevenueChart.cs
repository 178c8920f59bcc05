using System.Globalization;
using System.Text;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Admin;

/// <summary>
/// One currency's daily net revenue as inline SVG bars (no script, no library, nothing fetched),
/// with a title and description for screen readers and the exact figures in a table beside it.
/// Amounts are printed with <see cref="Core.Money.Money.ToDecimalString"/>; only the bar heights
/// are computed in floating point, for drawing.
/// </summary>
internal static class RevenueChart
{
    private const double Left = 72, Top = 12, PlotHeight = 160, Bottom = 28;

    public static string Render(Revenue.Series series)
    {
        var code = series.Currency.Code;
        var id = "chart-" + code;
        var step = series.Days.Count <= 31 ? 22.0 : 9.0;
        var width = Left + series.Days.Count * step + 8;
        var height = Top + PlotHeight + Bottom;
        var max = series.Days.Max(d => d.Net.Minor);
        var best = series.Days.MaxBy(d => d.Net.Minor)!;
        var first = series.Days[0].Date;
        var last = series.Days[^1].Date;

        var svg = new StringBuilder()
            .Append($"<svg class=\"chart\" viewBox=\"0 0 {N(width)} {N(height)}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">")
            .Append($"<title id=\"{id}-title\">Net revenue per day in {Html.E(code)}, {D(first)} to {D(last)}</title>")
            .Append($"<desc id=\"{id}-desc\">{Html.E(Describe(series, best, max))}</desc>")
            .Append($"<line class=\"axis\" x1=\"{N(Left)}\" y1=\"{N(Top + PlotHeight)}\" x2=\"{N(width - 4)}\" y2=\"{N(Top + PlotHeight)}\"/>")
            .Append($"<text class=\"axis-label\" x=\"{N(Left - 6)}\" y=\"{N(Top + 10)}\" text-anchor=\"end\">{Html.E(best.Net.ToDecimalString())}</text>")
            .Append($"<text class=\"axis-label\" x=\"{N(Left - 6)}\" y=\"{N(Top + PlotHeight)}\" text-anchor=\"end\">0</text>");
        for (var i = 0; i < series.Days.Count; i++)
        {
            var day = series.Days[i];
            var x = Left + i * step + 2;
            if (day.Net.IsPositive && max > 0)
            {
                var h = Math.Max(1.0, (double)day.Net.Minor / max * PlotHeight);
                svg.Append($"<rect class=\"bar\" x=\"{N(x)}\" y=\"{N(Top + PlotHeight - h)}\" width=\"{N(step - 4)}\" height=\"{N(h)}\">")
                    .Append($"<title>{D(day.Date)}: {Html.E(day.Net.ToString())}</title></rect>");
            }
            // Every seventh day is labelled, and the last unless a label is already close by.
            if (i % 7 == 0 || (i == series.Days.Count - 1 && i % 7 > 3))
                svg.Append($"<text class=\"axis-label\" x=\"{N(x + (step - 4) / 2)}\" y=\"{N(Top + PlotHeight + 18)}\" text-anchor=\"middle\">")
                    .Append(day.Date.ToString("MM-dd", CultureInfo.InvariantCulture)).Append("</text>");
        }
        svg.Append("</svg>");

        var rows = string.Concat(series.Days.Select(d =>
            $"<tr><th scope=\"row\">{D(d.Date)}</th><td class=\"num\">{d.Payments}</td><td class=\"num\">{Html.E(d.Gross.ToDecimalString())}</td>" +
            $"<td class=\"num\">{Html.E(d.Refunded.ToDecimalString())}</td><td class=\"num\">{Html.E(d.Net.ToDecimalString())}</td></tr>"));
        return $"""
            <section class="revenue" aria-labelledby="{id}-heading">
              <h2 id="{id}-heading">{Html.E(code)}</h2>
              <p>Net {Html.E(series.Net.ToString())} from {series.Payments} payment{(series.Payments == 1 ? "" : "s")} (paid {Html.E(series.Gross.ToString())}).</p>
              <figure>{svg}</figure>
              <details><summary>Daily figures in {Html.E(code)} as a table</summary>
              <div class="table-wrap"><table data-currency="{Html.E(code)}">
                <caption>Revenue per day in {Html.E(code)} (UTC days)</caption>
                <thead><tr><th scope="col">Day</th><th scope="col" class="num">Payments</th><th scope="col" class="num">Paid</th>
                  <th scope="col" class="num">Refunded</th><th scope="col" class="num">Net</th></tr></thead>
                <tbody>{rows}</tbody>
              </table></div></details>
            </section>
            """;
    }

    private static string Describe(Revenue.Series series, Revenue.Day best, long max) => max <= 0
        ? $"No net revenue in {series.Currency.Code} in these {series.Days.Count} days."
        : $"{series.Days.Count} days. Highest: {D(best.Date)} with {best.Net}. Total net {series.Net}. The table below lists every day.";

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string D(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
