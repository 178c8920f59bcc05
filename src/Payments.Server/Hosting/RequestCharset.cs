using System.Text;
using Microsoft.Net.Http.Headers;

namespace Payments.Server.Hosting;

/// <summary>
/// A body whose Content-Type names a charset .NET does not know (<c>application/json; charset=nope</c>)
/// is refused with 415 before any endpoint reads it. The framework's JSON reader throws an
/// InvalidOperationException for it, which was answered 500 (found by the API fuzzer).
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
        await next(context);
    });

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
