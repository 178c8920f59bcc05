using System.Net;
using System.Text.RegularExpressions;

namespace Payments.Server.Tests.Support;

/// <summary>
/// Our HTML forms carry an antiforgery token (a hidden field matching a cookie), so a test fills a
/// form the way a browser does: GET the page, then POST the form with the page's token. The
/// client's cookie container keeps the antiforgery cookie between the two requests.
/// </summary>
public static partial class Forms
{
    public const string TokenField = "csrf_token";

    /// <summary>The antiforgery token in a page, or null when the page has no form of ours.</summary>
    public static string? Token(string html) => TokenPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    /// <summary>GETs <paramref name="page"/> and POSTs <paramref name="fields"/> to <paramref name="action"/> with its token (when it has one).</summary>
    public static async Task<HttpResponseMessage> SubmitForm(this HttpClient client, string page, string action, params (string Name, string Value)[] fields)
    {
        using var response = await client.GetAsync(page);
        var token = Token(await response.Content.ReadAsStringAsync());
        return await client.PostAsync(action, FormWith(token, fields));
    }

    public static FormUrlEncodedContent FormWith(string? token, params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))
            .Concat(token is null ? [] : [new KeyValuePair<string, string>(TokenField, token)]));

    /// <summary>Chooses an outcome on the dummy provider's hosted checkout page (<c>dm_…</c> id or its path).</summary>
    public static Task<HttpResponseMessage> PayDummy(this HttpClient client, string dmIdOrPath, string outcome = "succeeded")
    {
        var path = dmIdOrPath.StartsWith('/') ? dmIdOrPath : $"/payments/simulate/{dmIdOrPath}";
        return client.SubmitForm(path, path, ("outcome", outcome));
    }

    [GeneratedRegex("name=\"csrf_token\" value=\"([^\"]*)\"")]
    private static partial Regex TokenPattern();
}
