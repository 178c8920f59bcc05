using Scalar.AspNetCore;

namespace Payments.Server.Hosting;

/// <summary>
/// A human-readable API reference at <c>/docs</c>, drawn by Scalar from <c>/openapi/v1.json</c>.
/// Scalar's script is served by the service itself (embedded in the package), and what would reach
/// a third party is off: its web fonts (a CDN; the system's fonts instead), its telemetry, its AI
/// chat and MCP integration. So the page works offline and behind a firewall, and tells nobody who
/// reads it.
/// </summary>
public static class ApiReference
{
    public const string Path = "/docs";

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapScalarApiReference(Path, options => options
                .WithTitle("Payments API reference")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp())
            .ExcludeFromDescription();
}
