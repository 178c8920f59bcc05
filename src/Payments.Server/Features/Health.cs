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
                var ok = await AnswersAsync(db, ct);
                var response = new Response(ok ? "ok" : "unavailable", database.Kind.ToString().ToLowerInvariant(),
                    providers.Default.Name, providers.Enabled.Select(p => p.Name).Order().ToArray());
                return ok ? Results.Ok(response) : Results.Json(response, statusCode: StatusCodes.Status503ServiceUnavailable);
            })
            .WithTags("Operations")
            .WithSummary("Liveness and readiness: database reachable, providers enabled.");

    /// <summary>
    /// One query on a pooled connection. Not <c>CanConnectAsync</c>: on SQLite that opens a new,
    /// unpooled read-only connection to the file every time (~250 µs of CPU), and load balancers poll this.
    /// </summary>
    private static async Task<bool> AnswersAsync(PaymentsDb db, CancellationToken ct)
    {
        try
        {
            await db.PingAsync(ct);
            return true;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return false;
        }
    }
}
