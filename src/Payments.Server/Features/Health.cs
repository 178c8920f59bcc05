using Microsoft.EntityFrameworkCore;
using Payments.Providers;
using Payments.Server.Data;

namespace Payments.Server.Features;

/// <summary><c>GET /healthz</c>: 200 when the database answers; lists the enabled providers.</summary>
public static class Health
{
    public sealed record Response(string Status, string Database, string DefaultProvider, IReadOnlyList<string> Providers);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/healthz", async (PaymentsDb db, DatabaseChoice database, ProviderRegistry providers, CancellationToken ct) =>
            {
                var ok = await db.Database.CanConnectAsync(ct);
                var response = new Response(ok ? "ok" : "unavailable", database.Kind.ToString().ToLowerInvariant(),
                    providers.Default.Name, providers.Enabled.Select(p => p.Name).Order().ToArray());
                return ok ? Results.Ok(response) : Results.Json(response, statusCode: StatusCodes.Status503ServiceUnavailable);
            })
            .WithTags("Operations")
            .WithSummary("Liveness and readiness: database reachable, providers enabled.");
}
