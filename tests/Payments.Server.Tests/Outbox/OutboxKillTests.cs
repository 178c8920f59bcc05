using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Outbox;

/// <summary>
/// The promise that matters most to the host, against a real server process: an event that was being
/// retried when the service died by <c>kill -9</c> is delivered after the restart, under the same event id.
/// </summary>
public sealed class OutboxKillTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("payments-kill-").FullName;
    private RunningServer? _server;

    private Uri BaseAddress => _server!.BaseAddress;

    [Fact]
    public async Task An_event_being_retried_when_the_service_is_killed_is_delivered_after_the_restart_with_the_same_id()
    {
        await using var receiver = new HostReceiver(failFirst: int.MaxValue); // the host is down: 500 every time
        await StartAsync();
        using var admin = new HttpClient { BaseAddress = BaseAddress }.As(Credentials.AdminKey);
        (await admin.PostAsJsonAsync("/api/v1/webhook-endpoints", new { url = receiver.Url.ToString(), events = new[] { "*" } })).EnsureSuccessStatusCode();
        var intent = await (await admin.PostJson("/api/v1/payment/create-intent", new { plan = "basic" })).Body();
        var paymentId = intent.Str("payment_id");
        Assert.Equal(HttpStatusCode.SeeOther, (await new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress }
            .PostAsync($"/payments/simulate/{intent.Str("provider_payment_id")}", new FormUrlEncodedContent([new("outcome", "succeeded")]))).StatusCode);
        var failed = await receiver.WaitFor(paymentId, r => r.Count >= 2, TimeSpan.FromSeconds(30));

        await _server!.KillAsync(); // SIGKILL: no shutdown, no flush, leases held
        receiver.FailFirstNow(0); // the host is back
        await StartAsync();

        var delivered = (await receiver.WaitFor(paymentId, r => r.Any(x => x.Answer == 200), TimeSpan.FromSeconds(60))).First(x => x.Answer == 200);
        Assert.Equal(failed[0].EventId, delivered.EventId);
        Assert.Equal(failed[0].Body, delivered.Body);
        Assert.Equal("payment.succeeded", delivered.Type);
    }

    private Task StartAsync()
    {
        _server ??= new RunningServer(Credentials.Settings(new()
        {
            ["SQLITE_PATH"] = Path.Combine(_dir, "payments.db"),
            ["DATA_PROTECTION_KEYS_DIR"] = Path.Combine(_dir, "keys"),
            ["RECEIPTS_DIR"] = Path.Combine(_dir, "receipts"),
            ["RATE_LIMITS_ENABLED"] = "false",
            ["OUTBOX_POLL_MILLISECONDS"] = "50",
            ["WEBHOOK_RETRY_INITIAL_SECONDS"] = "0.1",
            ["WEBHOOK_RETRY_MAX_SECONDS"] = "0.3",
            // A delivery held by the killed node is sent again once its lease runs out (3 × timeout + 5 s).
            ["WEBHOOK_TIMEOUT_SECONDS"] = "1",
        }));
        return _server.StartAsync();
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
