using System.Diagnostics;
using System.Net;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Observability;

/// <summary>
/// METRICS_URLS: the real process opens a second listener that answers /metrics without credentials and
/// nothing else, and then the main listener has no /metrics at all.
/// </summary>
public sealed class MetricsListenerTests
{
    [Fact]
    public async Task The_metrics_listener_serves_metrics_without_auth_and_nothing_else_and_the_main_listener_none()
    {
        var dir = Directory.CreateTempSubdirectory("payments-metrics-").FullName;
        var (main, metrics) = (ServerProcess.FreePort(), ServerProcess.FreePort());
        var start = ServerProcess.StartInfo(Credentials.Settings(new()
        {
            ["SQLITE_PATH"] = Path.Combine(dir, "p.db"),
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{main}",
            ["METRICS_URLS"] = $"http://127.0.0.1:{metrics}",
        }));
        using var server = Process.Start(start)!;
        _ = server.StandardOutput.ReadToEndAsync();
        var stderr = server.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                try
                {
                    if ((await http.GetAsync($"http://127.0.0.1:{main}/healthz/live")).IsSuccessStatusCode) break;
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline && !server.HasExited) { }
                if (server.HasExited) Assert.Fail("the server stopped: " + await stderr);
                Assert.True(DateTime.UtcNow < deadline, "the server did not answer within 60 s");
                await Task.Delay(200);
            }

            var scrape = await http.GetAsync($"http://127.0.0.1:{metrics}/metrics");
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
            Assert.Contains("payments_outbox_lag_seconds", await scrape.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{metrics}/healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{metrics}/api/v1/payment/plans")).StatusCode);

            using var admin = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{main}/metrics");
            admin.Headers.Authorization = new("Bearer", Credentials.AdminKey);
            Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(admin)).StatusCode);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
