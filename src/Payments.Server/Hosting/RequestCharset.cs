using System.Text;
using Microsoft.Net.Http.Headers;

namespace Payments.Server.Hosting;

/// <summary>
/// Text this service cannot read is refused before any endpoint sees it:
/// <list type="bullet">
/// <item>a body whose Content-Type names a charset .NET does not know (<c>application/json; charset=nope</c>) gets 415.
/// The framework's JSON reader throws an InvalidOperationException for it, which was answered 500 (found by the API fuzzer);</item>
/// <item>a query string with a NUL character in a name or value (<c>?provider=%00</c>) gets 400. No text we store can hold
/// one (PostgreSQL's text refuses it), so a filter with a NUL reached the database as a 500 (found by the API fuzzer on
/// PostgreSQL). Refusing it here covers every route that reads its query, today's and tomorrow's.</item>
/// </list>
/// </summary>
public static class RequestCharset
{
    public static IApplicationBuilder UseKnownRequestCharsets(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (Unknown(context.Request.ContentType) is { } charset)
        {
            await Problems.WriteAsync(context, Problems.Create(context, StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
                $"The request's charset '{charset}' is not one this service can read; send UTF-8."));
            return;
        }
        if (NulInQuery(context.Request.Query) is { } name)
        {
            await Problems.WriteAsync(context, Problems.Create(context, StatusCodes.Status400BadRequest, "bad_request",
                $"The query parameter '{name.Replace("\0", "\\u0000")}' holds a NUL character, which no value here can contain."));
            return;
        }
        await next(context);
    });

    /// <summary>The name of the first query parameter whose name or a value holds U+0000; null when none does.</summary>
    public static string? NulInQuery(IQueryCollection query)
    {
        foreach (var (name, values) in query)
        {
            if (name.Contains('\0')) return name;
            foreach (var value in values)
                if (value?.Contains('\0') == true) return name;
        }
        return null;
    }

    /// <summary>The charset named in <paramref name="contentType"/> when no encoding has that name; null otherwise.</summary>
    public static string? Unknown(string? contentType)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var media)) return null;
        var charset = media.Charset.Value?.Trim('"');
        if (string.IsNullOrEmpty(charset)) return null;
        try
        {
            _ = Encoding.GetEncoding(charset);
            return null;
        }
        catch (ArgumentException)
        {
            return charset;
        }
    }
}
