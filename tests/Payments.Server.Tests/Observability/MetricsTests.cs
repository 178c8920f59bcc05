using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Payments.Server.Hosting;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Observability;

/// <summary>Payments, conflicts and refused signatures count on /metrics and write one structured log line each.</summary>
public sealed class MetricsTests : IAsyncLifetime
{
    private readonly LogCapture _logs = new();
    private SqliteTestDatabase _database = null!;
    private PaymentsApp _app = null!;
    private MeterCapture _meter = null!;

    public async ValueTask InitializeAsync()
    {
        _database = new SqliteTestDatabase();
        _app = new PaymentsApp(_database, Credentials.Settings(), services =>
        {
            services.AddSingleton<ILoggerProvider>(_logs);
            // The test host logs from Warning up; the money lines are Information.
            services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(null, typeof(MoneyLog).FullName, LogLevel.Information, null)));
        });
        _meter = new MeterCapture(_app);
        await Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _meter.Dispose();
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<(string PaymentId, string DmId, long Amount, string Currency)> NewPayment()
    {
        using var http = _app.Client();
        var intent = await (await http.PostJson("/api/v1/payment/create-intent", new { plan = "basic", provider = "dummy" })).Body();
        return (intent.Str("payment_id"), intent.Str("provider_payment_id"), intent.GetProperty("amount").GetInt64(), intent.Str("currency"));
    }

    private async Task<HttpResponseMessage> Pay(string dmId, long amount, string currency, string? secret = null)
    {
        using var http = _app.Client();
        var body = DummyEvents.Body("evt_" + Guid.NewGuid().ToString("N"), "payment.succeeded", dmId, amount, currency);
        return await http.Deliver(body, secret is null ? DummyEvents.Sign(body) : DummyEvents.Sign(body, secret));
    }

    private async Task<string> Scrape()
    {
        using var http = _app.Client();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Credentials.AdminKey);
        var response = await http.GetAsync(Server.Hosting.Observability.MetricsPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static double Series(string scrape, string name, params string[] labels)
    {
        var line = scrape.Split('\n').FirstOrDefault(l => l.StartsWith(name + "{", StringComparison.Ordinal) && labels.All(l.Contains));
        Assert.True(line is not null, $"no {name} with {string.Join(", ", labels)} in:\n{scrape}");
        return double.Parse(line![(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_dummy_payment_that_succeeds_is_counted_created_then_succeeded_and_shows_on_metrics()
    {
        var (paymentId, dmId, amount, currency) = await NewPayment();
        Assert.Equal(HttpStatusCode.OK, (await Pay(dmId, amount, currency)).StatusCode);

        Assert.Equal(1, _meter.Sum("payments.payments", ("provider", "dummy"), ("outcome", "created")));
        Assert.Equal(1, _meter.Sum("payments.payments", ("provider", "dummy"), ("outcome", "succeeded")));
        Assert.Equal(1, _meter.Sum("payments.webhooks.received", ("provider", "dummy"), ("result", "applied")));
        var scrape = await Scrape();
        Assert.True(Series(scrape, "payments_payments_total", "outcome=\"succeeded\"", "provider=\"dummy\"") >= 1);
        Assert.Contains("payments_outbox_lag_seconds", scrape);

        var settled = Assert.Single(_logs.Entries, e => e.Id.Id == 7001);
        Assert.Equal(LogLevel.Information, settled.Level);
        Assert.Equal((paymentId, "dummy", amount, currency, "succeeded"),
            ((string)settled.Values["PaymentId"]!, (string)settled.Values["Provider"]!, (long)settled.Values["Amount"]!, (string)settled.Values["Currency"]!, (string)settled.Values["Status"]!));
    }

    [Fact]
    public async Task A_conflict_is_counted_and_logged_as_a_warning_with_the_expected_and_the_received_amount()
    {
        var (paymentId, dmId, amount, currency) = await NewPayment();
        Assert.Equal(HttpStatusCode.Conflict, (await Pay(dmId, amount - 1, currency)).StatusCode);

        Assert.Equal(1, _meter.Sum("payments.conflicts", ("provider", "dummy")));
        Assert.Equal(1, _meter.Sum("payments.payments", ("provider", "dummy"), ("outcome", "conflicted")));
        var conflict = Assert.Single(_logs.Entries, e => e.Id.Id == 7002);
        Assert.Equal(LogLevel.Warning, conflict.Level);
        Assert.Equal((paymentId, amount, currency, amount - 1, currency),
            ((string)conflict.Values["PaymentId"]!, (long)conflict.Values["ExpectedAmount"]!, (string)conflict.Values["ExpectedCurrency"]!,
                (long?)conflict.Values["ReceivedAmount"], (string?)conflict.Values["ReceivedCurrency"]));
        Assert.DoesNotContain(_logs.Entries, e => e.Id.Id == 7001); // a conflict is not a settlement
    }

    [Fact]
    public async Task A_bad_signature_is_counted_and_logged_as_a_warning_naming_the_provider()
    {
        var (_, dmId, amount, currency) = await NewPayment();
        Assert.Equal(HttpStatusCode.BadRequest, (await Pay(dmId, amount, currency, secret: "not-the-secret")).StatusCode);

        Assert.Equal(1, _meter.Sum("payments.webhook.signature_failures", ("provider", "dummy")));
        Assert.Equal(1, _meter.Sum("payments.webhooks.received", ("provider", "dummy"), ("result", "signature_invalid")));
        Assert.True(Series(await Scrape(), "payments_webhook_signature_failures_total", "provider=\"dummy\"") >= 1);
        var refused = Assert.Single(_logs.Entries, e => e.Id.Id == 7003);
        Assert.Equal((LogLevel.Warning, "dummy"), (refused.Level, (string)refused.Values["Provider"]!));
        Assert.Equal(0, _meter.Sum("payments.payments", ("outcome", "succeeded")));
    }

    [Fact]
    public async Task Calls_through_a_provider_client_are_timed_under_its_provider_and_other_clients_are_not()
    {
        var clients = _app.Get<IHttpClientFactory>();
        using var stripe = clients.CreateClient("stripe"); // Stripe's named client; the call goes to this service
        Assert.Equal(HttpStatusCode.OK, (await stripe.GetAsync(new Uri(_app.BaseAddress, "/healthz/live"))).StatusCode);
        using var outbox = clients.CreateClient("outbox");
        await outbox.GetAsync(new Uri(_app.BaseAddress, "/healthz/live"));

        Assert.Equal(1, _meter.Count("payments.provider.call.duration", ("provider", "stripe"), ("status", "200")));
        Assert.Equal(1, _meter.Count("payments.provider.call.duration"));
    }

    [Fact]
    public async Task Outbox_lag_is_the_age_of_the_oldest_undelivered_event_and_failed_attempts_count_as_retries()
    {
        Assert.Equal(0, _app.Get<Server.Features.Outbox.OutboxLag>().Seconds()); // no endpoint: nobody is waiting
        using (var admin = _app.Client())
        {
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Credentials.AdminKey);
            // Port 1 on loopback refuses: every attempt fails and is retried later.
            var created = await admin.PostJson("/api/v1/webhook-endpoints", new { url = "http://127.0.0.1:1/hook", events = new[] { "*" } });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var (_, dmId, amount, currency) = await NewPayment();
        Assert.Equal(HttpStatusCode.OK, (await Pay(dmId, amount, currency)).StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (_meter.Sum("payments.webhooks.sent", ("result", "retry")) == 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.True(_meter.Sum("payments.webhooks.sent", ("result", "retry")) >= 1);
        Assert.Equal(0, _meter.Sum("payments.webhooks.sent", ("result", "delivered")));
        var lag = _app.Get<Server.Features.Outbox.OutboxLag>();
        await Task.Delay(Server.Features.Outbox.OutboxLag.Refresh); // the first read above is cached that long
        Assert.InRange(lag.Seconds(), 0.001, 60);
    }

    [Fact]
    public async Task Without_a_metrics_listener_metrics_are_for_admins_only()
    {
        using var http = _app.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(Server.Hosting.Observability.MetricsPath)).StatusCode);
        Assert.Matches(new Regex("^# (TYPE|HELP) ", RegexOptions.Multiline), await Scrape());
    }

    [Fact]
    public async Task Http_client_chatter_is_not_logged_below_warning()
    {
        using var stripe = _app.Get<IHttpClientFactory>().CreateClient("stripe");
        await stripe.GetAsync(new Uri(_app.BaseAddress, "/healthz/live"));
        var filter = _app.Get<Microsoft.Extensions.Options.IOptions<LoggerFilterOptions>>().Value;
        Assert.Contains(filter.Rules, r => r.CategoryName == "System.Net.Http.HttpClient" && r.LogLevel == LogLevel.Warning);
        Assert.DoesNotContain(_logs.Entries, e => e.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal));
    }
}
