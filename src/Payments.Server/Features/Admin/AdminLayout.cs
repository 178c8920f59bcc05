using System.Globalization;
using Payments.Server.Features.Auth;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Admin;

/// <summary>The dashboard's frame: skip link, navigation (current page marked), who is signed in, sign-out.</summary>
internal static class AdminLayout
{
    private static readonly (string Path, string Label)[] Sections =
    [
        ("/admin", "Payments"),
        ("/admin/revenue", "Revenue"),
        ("/admin/vendors", "Vendors"),
        ("/admin/webhooks", "Webhook events"),
        ("/admin/outgoing", "Outgoing webhooks"),
        ("/admin/audit", "Audit log"),
        ("/admin/subscriptions", "Subscriptions"),
    ];

    public static IResult Page(HttpContext http, string title, string body, string current, int status = 200)
    {
        var nav = string.Concat(Sections.Select(s =>
            $"<li><a href=\"{s.Path}\"{(s.Path == current ? " aria-current=\"page\"" : "")}>{Html.E(s.Label)}</a></li>"));
        var who = http.User.FindFirst(AdminSession.NameClaim)?.Value ?? http.Caller().Audit;
        var header = $"""
            <a class="skip-link" href="#content">Skip to content</a>
            <header class="admin-bar">
              <nav aria-label="Dashboard"><ul>{nav}</ul></nav>
              <form method="post" action="/admin/sign-out" class="sign-out">
                {Html.AntiforgeryField(http)}
                <span>Signed in as {Html.E(who)}</span>
                <button type="submit">Sign out</button>
              </form>
            </header>
            """;
        return Html.Page(title + " · Payments admin", body, status, header: header, wide: true, @private: true);
    }

    public static string Time(DateTimeOffset at) =>
        $"<time datetime=\"{at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}\">" +
        $"{at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}</time>";

    public static string Error(string? message) =>
        message is null ? "" : $"<p class=\"error\" role=\"alert\">{Html.E(message)}</p>";

    /// <summary>
    /// The page asked for in a dashboard link, kept in 1..100000 (the API's <c>Paging.Validate</c>
    /// bounds). A page answers a hand-edited number instead of refusing it; the upper bound keeps
    /// (page - 1) × page size from overflowing.
    /// </summary>
    public static int PageNumber(int? page) => Math.Clamp(page ?? 1, 1, 100_000);

    /// <summary>Previous / "page x of y" / next, keeping the other query parameters.</summary>
    public static string Pager(HttpRequest request, int page, int size, int total)
    {
        var pages = Math.Max(1, (total + size - 1) / size);
        string Link(int p) => request.Path + QueryWith(request, "page", p.ToString(CultureInfo.InvariantCulture));
        var previous = page > 1 ? $"<a href=\"{Html.E(Link(page - 1))}\" rel=\"prev\">Previous</a>" : "";
        var next = page < pages ? $"<a href=\"{Html.E(Link(page + 1))}\" rel=\"next\">Next</a>" : "";
        return $"<nav class=\"pager\" aria-label=\"Pages\">{previous}<span>Page {page} of {pages} ({total} in all)</span>{next}</nav>";
    }

    private static string QueryWith(HttpRequest request, string key, string value)
    {
        var pairs = request.Query.Where(q => q.Key != key && !string.IsNullOrEmpty(q.Value))
            .Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()))
            .Append(new KeyValuePair<string, string?>(key, value));
        return Microsoft.AspNetCore.Http.QueryString.Create(pairs).ToString();
    }

    /// <summary>
    /// A "yyyy-MM-dd" date as midnight UTC; null when empty; a message when unreadable. The last
    /// representable day (9999-12-31) is refused too: a "to" date is used as the next day's
    /// midnight, which does not exist for it.
    /// </summary>
    public static (DateTimeOffset? Value, string? Error) Date(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, null);
        return DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
               && date < DateOnly.MaxValue
            ? (new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), null)
            : (null, $"'{field}' must be a date like 2025-11-22.");
    }
}
