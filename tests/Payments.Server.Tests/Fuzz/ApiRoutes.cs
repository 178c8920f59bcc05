using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Fuzz;

/// <summary>One route and method of the running service, as its endpoint data source lists it.</summary>
public sealed record ApiRoute(string Method, string Pattern)
{
    /// <summary>The JSON API (and webhooks): every refusal there must be a problem document. Pages answer HTML.</summary>
    public bool IsApi => Pattern.StartsWith("/api/", StringComparison.Ordinal);

    public override string ToString() => $"{Method} {Pattern}";
}

/// <summary>
/// Every route the service maps, read from its <see cref="EndpointDataSource"/> at run time, so a route
/// added tomorrow is fuzzed tomorrow without anyone listing it here.
/// </summary>
public static partial class ApiRoutes
{
    public static IReadOnlyList<ApiRoute> Of(PaymentsApp app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => new ApiRoute(method, "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'))))
            .Distinct()
            .OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)
            .ToList();

    /// <summary>The pattern with each <c>{parameter}</c> (constraints and all) replaced by a value.</summary>
    public static string Fill(string pattern, Func<string, string> value) =>
        Parameter().Replace(pattern, m => value(m.Groups[1].Value));

    public static IEnumerable<string> Parameters(string pattern) => Parameter().Matches(pattern).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\{\**([A-Za-z_][A-Za-z0-9_]*)[^}]*\}")]
    private static partial Regex Parameter();
}
