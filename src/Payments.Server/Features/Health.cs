using Microsoft.EntityFrameworkCore;
using Payments.Providers;
using Payments.Server.Data;

namespace Payments.Server.Features;

/// <summary>
/// <c>GET /healthz</c> and <c>/healthz/ready</c>: 200 when the database answers (send traffic here);
/// <c>/healthz/live</c>: 200 while the process serves requests at all, whatever the database does
/// (restart the process only when this fails: a database outage is not cured by restarting nodes).
/// </summary>
public static class Health
{
    public sealed record Response(string Status, string Database, string DefaultProvider, IReadOnlyList<string> Providers);

    public sealed record Liveness(string Status);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", ReadyAsync).WithTags("Operations").WithSummary("Readiness (as /healthz/ready): database reachable, providers enabled.")
            .Produces<Response>().Produces<Response>(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/healthz/ready", ReadyAsync).WithTags("Operations").WithSummary("Readiness: 200 when the database answers; 503 while it does not.")
            .Produces<Response>().Produces<Response>(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/healthz/live", () => Results.Ok(new Liveness("ok")))
            .WithTags("Operations").WithSummary("Liveness: 200 while the process serves requests (no database query).")
            .Produces<Liveness>();
    }

    private static async Task<IResult> ReadyAsync(PaymentsDb db, DatabaseChoice database, ProviderRegistry providers, CancellationToken ct)
    {
        var ok = await AnswersAsync(db, ct);
        var response = new Response(ok ? "ok" : "unavailable", database.Kind.ToString().ToLowerInvariant(),
            providers.Default.Name, providers.Enabled.Select(p => p.Name).Order().ToArray());
        return ok ? Results.Ok(response) : Results.Json(response, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

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
