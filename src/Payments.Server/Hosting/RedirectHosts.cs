using Payments.Core.Errors;

namespace Payments.Server.Hosting;

/// <summary>
/// The allow-list for the <c>success_url</c>/<c>cancel_url</c> a caller may send with a payment
/// (<c>ALLOWED_REDIRECT_HOSTS</c>). Matching is on the host (and port when the entry names one), never on
/// a prefix of the URL string, so <c>https://shop.example.evil.test</c> does not pass for <c>shop.example</c>.
/// </summary>
public static class RedirectHosts
{
    public static IReadOnlyList<string> Parse(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return [];
        var hosts = raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(h => h.ToLowerInvariant()).ToList();
        foreach (var host in hosts)
        {
            var bare = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
            if (bare.Contains('/') || bare.Contains('*') || Uri.CheckHostName(bare.Split(':')[0]) == UriHostNameType.Unknown
                || (bare.Split(':') is [_, var port] && !int.TryParse(port, out _)))
                throw new InvalidOperationException(
                    $"ALLOWED_REDIRECT_HOSTS entry '{host}' is not a host: use e.g. shop.example, shop.example:8443 or *.shop.example.");
        }
        return hosts;
    }

    /// <summary>The URL when it is absolute http(s) on an allowed host; a 422 that says what to do otherwise.</summary>
    public static Uri Check(IReadOnlyList<string> allowed, string url, string field)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.UserInfo))
            throw PaymentsException.Validation($"'{field}' must be an absolute http(s) URL without user information.");
        if (allowed.Count == 0)
            throw PaymentsException.Validation($"'{field}' needs ALLOWED_REDIRECT_HOSTS to list its host; none is configured.");
        var host = uri.IdnHost.ToLowerInvariant();
        var hostAndPort = $"{host}:{uri.Port}";
        foreach (var entry in allowed)
        {
            if (entry.StartsWith("*.", StringComparison.Ordinal)
                    ? host.EndsWith(entry[1..], StringComparison.Ordinal)
                    : entry.Contains(':') ? entry == hostAndPort : entry == host)
                return uri;
        }
        throw PaymentsException.Validation($"'{field}' points at {host}, which ALLOWED_REDIRECT_HOSTS does not list.").With("host", host);
    }
}
