using System.Net;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;

namespace Payments.Server.Hosting;

/// <summary>Tiny server-side HTML: one layout, everything interpolated is encoded.</summary>
public static class Html
{
    /// <summary>
    /// Pages load only our own CSS and scripts: no inline script or style can run even if some
    /// value escaped encoding, and no other site may frame a page (clickjacking on the refund form).
    /// No <c>form-action</c>: the storefront's POST is answered with a redirect to the provider's
    /// checkout, which Chromium would count against it.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; " +
        "base-uri 'none'; frame-ancestors 'none'";

    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <param name="header">Markup before <c>&lt;main&gt;</c> (the admin navigation).</param>
    /// <param name="wide">A wider column, for tables.</param>
    /// <param name="private">Never stored by a cache (admin pages, pages with a customer's details).</param>
    /// <param name="contentSecurityPolicy">Another policy for this page only (the storefront's wallet buttons load Google's and Stripe's scripts).</param>
    public static IResult Page(string title, string body, int status = 200, string? head = null,
        string? header = null, bool wide = false, bool @private = false, string? contentSecurityPolicy = null)
    {
        var html = new StringBuilder()
            .Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append("</title>")
            .Append("<link rel=\"stylesheet\" href=\"/static/site.css\">")
            .Append(head)
            .Append("</head><body>")
            .Append(header)
            .Append(wide ? "<main id=\"content\" class=\"wide\">" : "<main id=\"content\">")
            .Append(body)
            .Append("</main></body></html>")
            .ToString();
        return new HtmlResult(html, status, @private, contentSecurityPolicy ?? ContentSecurityPolicy);
    }

    /// <summary>The hidden antiforgery field every form of ours carries (ASP.NET Core antiforgery; cookie + token).</summary>
    public static string AntiforgeryField(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">";
    }

    /// <summary>303 See Other: after a POST the browser must GET the next page.</summary>
    public static IResult SeeOther(string location) => new SeeOtherResult(location);

    private sealed class HtmlResult(string html, int status, bool @private, string contentSecurityPolicy) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = contentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            if (@private) headers.CacheControl = "no-store";
            http.Response.StatusCode = status;
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync(html, Encoding.UTF8, http.RequestAborted);
        }
    }

    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = StatusCodes.Status303SeeOther;
            http.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
