using System.Data.Common;
using System.Net;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Hosting;

/// <summary>Liveness does not depend on the database; readiness does.</summary>
public sealed class HealthTests
{
    /// <summary>Every command fails while <see cref="Down"/> is set, as when the database is unreachable.</summary>
    private sealed class DatabaseOutage : DbCommandInterceptor
    {
        public volatile bool Down;

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            Down ? throw new TimeoutException("database unreachable (test)") : base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    [Fact]
    public async Task While_the_database_is_down_the_service_is_live_but_not_ready()
    {
        var outage = new DatabaseOutage();
        await using var database = new SqliteTestDatabase();
        await using var app = new PaymentsApp(database, services: s => s.AddSingleton<IInterceptor>(outage));
        using var http = app.Client();

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK),
            ((await http.GetAsync("/healthz/live")).StatusCode, (await http.GetAsync("/healthz/ready")).StatusCode, (await http.GetAsync("/healthz")).StatusCode));
        outage.Down = true;
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz/live")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/healthz/ready")).StatusCode);
        Assert.Equal("unavailable", (await (await http.GetAsync("/healthz")).Body()).Str("status"));
    }
}
