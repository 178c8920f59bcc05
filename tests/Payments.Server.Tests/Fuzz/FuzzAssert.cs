namespace Payments.Server.Tests.Fuzz;

/// <summary>What every answer to hostile input must look like.</summary>
public static class FuzzAssert
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>
    /// Kestrel refuses some requests at the HTTP level (a NUL in the decoded path) before any middleware
    /// runs: 400, no body, connection closed. That is the server's answer, not the service's, and it
    /// cannot be shaped into a problem document.
    /// </summary>
    public static bool IsKestrelRefusal(HttpResponseMessage response, string body) =>
        response.StatusCode == System.Net.HttpStatusCode.BadRequest && body.Length == 0
        && response.Content.Headers.ContentType is null && response.Headers.ConnectionClose == true;

    /// <summary>No 5xx; a refusal (4xx) is an RFC 9457 problem document when <paramref name="problemExpected"/> (the JSON API).</summary>
    public static async Task AnsweredWell(HttpResponseMessage response, bool problemExpected, ServerErrors? errors = null)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        string Shown() => $"{status} {response.Content.Headers.ContentType}: {(body.Length > 400 ? body[..400] + "…" : body)}";
        if (status >= 500) throw new Xunit.Sdk.XunitException($"Answered {Shown()}\nThe service logged: {errors?.Latest ?? "(not captured)"}");
        if (IsKestrelRefusal(response, body)) return;
        if (problemExpected && status >= 400 && response.Content.Headers.ContentType?.MediaType != ProblemJson)
            throw new Xunit.Sdk.XunitException($"A refusal that is not a problem document: {Shown()}");
        if (problemExpected && status >= 400 && !body.Contains("\"code\":", StringComparison.Ordinal))
            throw new Xunit.Sdk.XunitException($"A problem document without a code: {Shown()}");
    }
}
