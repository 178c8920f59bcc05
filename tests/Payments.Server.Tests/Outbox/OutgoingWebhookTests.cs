using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Payments.Providers.Common;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Outbox;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Outbox;

/// <summary>A service whose dispatcher looks for work every 50 ms and retries within a fraction of a second.</summary>
public abstract class OutboxApp(DatabaseKind engine) : AppFixture(engine)
{
    protected override IReadOnlyDictionary<string, string?> Settings => Credentials.Settings(new()
    {
        ["OUTBOX_POLL_MILLISECONDS"] = "50",
        ["WEBHOOK_RETRY_INITIAL_SECONDS"] = "0.1",
        ["WEBHOOK_RETRY_MAX_SECONDS"] = "0.3",
    });
}

public sealed class SqliteOutboxApp() : OutboxApp(DatabaseKind.Sqlite);

public sealed class PostgresOutboxApp() : OutboxApp(DatabaseKind.Postgres);

/// <summary>The host's side: it registers an endpoint and is told about payments, signed, in order, at least once.</summary>
public abstract class OutgoingWebhookTests<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : OutboxApp
{
    private PaymentsApp App => fixture.App;

    private async Task<(string Id, string Secret)> Register(Uri url, params string[] events)
    {
        using var admin = App.Client().As(Credentials.AdminKey);
        var response = await admin.PostAsJsonAsync("/api/v1/webhook-endpoints", new { url = url.ToString(), events, description = "host app" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Body();
        Assert.StartsWith("whsec_", body.Str("secret"));
        return (body.Str("id"), body.Str("secret"));
    }

    private async Task<string> PaidPayment()
    {
        using var http = App.Client();
        var intent = await (await http.PostJson("/api/v1/payment/create-intent", new { plan = "basic" })).Body();
        var paid = await http.PostAsync($"/payments/simulate/{intent.Str("provider_payment_id")}",
            new FormUrlEncodedContent([new("outcome", "succeeded")]));
        Assert.Equal(HttpStatusCode.SeeOther, paid.StatusCode);
        return intent.Str("payment_id");
    }

    [Fact]
    public async Task A_registered_endpoint_is_told_a_payment_succeeded_signed_so_the_host_can_verify_it()
    {
        await using var receiver = new HostReceiver();
        var (endpointId, secret) = await Register(receiver.Url, "payment.succeeded");
        var paymentId = await PaidPayment();

        var got = (await receiver.WaitFor(paymentId, r => r.Count >= 1)).Single();
        Assert.Equal(("payment.succeeded", 200), (got.Type, got.Answer));
        Assert.StartsWith("evt_", got.EventId);
        Assert.Equal(("succeeded", 1900, "EUR"), (got.Object.Str("status"), got.Object.GetProperty("amount").GetInt64(), got.Object.Str("currency")));
        // What the README's snippet does: Stripe's scheme over the raw body with the endpoint's secret.
        Assert.True(TimestampedHmacSignature.Verify(got.Signature, Encoding.UTF8.GetBytes(got.Body), secret, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).IsValid);
        Assert.False(TimestampedHmacSignature.Verify(got.Signature, Encoding.UTF8.GetBytes(got.Body + " "), secret, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).IsValid);

        using var admin = App.Client().As(Credentials.AdminKey);
        var log = await (await admin.GetAsync($"/api/v1/webhook-endpoints/{endpointId}/deliveries")).Body();
        var row = log.GetProperty("items").EnumerateArray().Single(i => i.Str("event_id") == got.EventId);
        Assert.Equal(("succeeded", 1, 200), (row.Str("status"), row.GetProperty("attempts").GetInt32(), row.GetProperty("last_status_code").GetInt32()));
    }

    [Fact]
    public async Task A_host_that_fails_three_times_still_gets_every_event_in_order_under_the_same_event_id()
    {
        await using var receiver = new HostReceiver(failFirst: 3);
        await Register(receiver.Url, "*");
        var paymentId = await PaidPayment();
        // The refund happens while the success is still being retried: it must wait its turn.
        using (var admin = App.Client().As(Credentials.AdminKey))
            Assert.Equal(HttpStatusCode.OK, (await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 500 })).StatusCode);

        var got = await receiver.WaitFor(paymentId, r => r.Count(x => x.Answer == 200) == 3);
        var delivered = got.Where(r => r.Answer == 200).ToList();
        Assert.Equal(["payment.succeeded", "payment.refunded", "refund.succeeded"], delivered.Select(r => r.Type));
        Assert.Equal(("partially_refunded", 500), (delivered[1].Object.Str("status"), delivered[1].Object.GetProperty("refunded").GetInt64()));
        Assert.Equal(("succeeded", 500), (delivered[2].Object.Str("status"), delivered[2].Object.GetProperty("amount").GetInt64()));
        Assert.StartsWith("re_", delivered[2].Object.Str("refund_id"));
        // Every failed try was the success event, under one id; the refund was first sent after it was answered 200.
        var failed = got.Where(r => r.Answer != 200).ToList();
        Assert.Equal(3, failed.Count);
        Assert.All(failed, f => Assert.Equal(delivered[0].EventId, f.EventId));
        Assert.True(got.First(r => r.Type == "payment.refunded").At >= delivered[0].At);
    }

    [Fact]
    public async Task Events_replay_sends_a_delivered_event_again_under_its_own_id()
    {
        await using var receiver = new HostReceiver();
        var (endpointId, _) = await Register(receiver.Url, "payment.succeeded");
        var paymentId = await PaidPayment();
        var first = (await receiver.WaitFor(paymentId, r => r.Count == 1)).Single();

        var output = new StringWriter();
        var error = new StringWriter();
        var settings = new Dictionary<string, string?>(App.Database.Settings);
        Assert.Equal(3, await global::Payments.Cli.Cli.RunAsync(["events", "replay", "--since", "yesterday-ish"], output, error, settings));
        Assert.Contains("neither an ISO 8601 instant nor a duration", error.ToString());
        Assert.Equal(0, await global::Payments.Cli.Cli.RunAsync(["events", "replay", "--since", "1h", "--endpoint", endpointId], output, error, settings));
        Assert.Contains("deliveries due again", output.ToString());

        var again = await receiver.WaitFor(paymentId, r => r.Count == 2);
        Assert.Equal([first.EventId, first.EventId], again.Select(r => r.EventId));
        Assert.Equal(first.Body, again[1].Body);
    }

    [Fact]
    public async Task Each_change_writes_one_outbox_row_in_its_transaction_and_a_duplicate_webhook_writes_none()
    {
        var paymentId = await PaidPayment();
        using (var http = App.Client())
            await http.PostJson("/api/v1/payment/verify", new { payment_id = paymentId }); // nothing new: no row
        await using var db = App.Db();
        var rows = await db.Context.Outbox.Where(o => o.ResourceId == paymentId).ToListAsync();
        Assert.Equal(["payment.succeeded"], rows.Select(r => r.Type));
        Assert.Equal("payment", rows[0].ResourceType);
    }

    [Fact]
    public async Task A_refund_report_that_also_proves_the_payment_tells_the_host_succeeded_before_refunded()
    {
        using var http = App.Client();
        var intent = await (await http.PostJson("/api/v1/payment/create-intent", new { plan = "basic" })).Body();
        var (paymentId, dmId) = (intent.Str("payment_id"), intent.Str("provider_payment_id"));
        // One delivery, two changes (paid, then refunded): Stripe's charge.refunded arriving before the checkout event.
        var refund = new global::Payments.Server.Features.Webhooks.WebhookDelivery("dummy",
            new Core.Providers.ProviderEvent("evt_refund_first_" + paymentId, "charge.refunded", Core.Providers.ProviderEventKind.Refunded,
                ProviderPaymentId: dmId, Amount: new Core.Money.Money(1900, Core.Money.Currency.EUR),
                RefundedTotal: new Core.Money.Money(1900, Core.Money.Currency.EUR)),
            "hmac-sha256", "{}"u8.ToArray());
        var settled = await Webhooks.Batches.ApplyAsync(App, [refund]);
        Assert.Null(settled[0].Error);

        await using var db = App.Db();
        var rows = await db.Context.Outbox.Where(o => o.ResourceId == paymentId).OrderBy(o => o.Id).Select(o => o.Type).ToListAsync();
        Assert.Equal(["payment.succeeded", "payment.refunded"], rows);
    }

    [Fact]
    public async Task Creating_an_endpoint_honours_Idempotency_Key_and_never_stores_its_secret_readable()
    {
        using var admin = App.Client().As(Credentials.AdminKey);
        var key = "endpoint-" + Guid.NewGuid();
        var url = $"https://host.example/{key}";
        async Task<HttpResponseMessage> Create()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhook-endpoints")
            {
                Content = JsonContent.Create(new { url, events = new[] { "*" } }),
            };
            request.Headers.Add("Idempotency-Key", key);
            return await admin.SendAsync(request);
        }

        var (first, second) = (await (await Create()).Body(), await Create());
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal((first.Str("id"), first.Str("secret")), ((await second.Body()).Str("id"), (await second.Body()).Str("secret")));
        await using var db = App.Db();
        Assert.Equal(1, await db.Context.WebhookEndpoints.CountAsync(e => e.Url == url));
        var stored = await db.Context.IdempotencyKeys.AsNoTracking().SingleAsync(r => r.Key == key);
        Assert.DoesNotContain(first.Str("secret"), Encoding.UTF8.GetString(stored.ResponseBody!));
        await admin.DeleteAsync($"/api/v1/webhook-endpoints/{first.Str("id")}");
    }

    [Fact]
    public async Task Endpoints_are_validated_and_their_secret_is_shown_only_when_made_or_rotated()
    {
        using var admin = App.Client().As(Credentials.AdminKey);
        Assert.Equal(HttpStatusCode.UnprocessableEntity,
            (await admin.PostAsJsonAsync("/api/v1/webhook-endpoints", new { url = "ftp://host.example/x", events = new[] { "*" } })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity,
            (await admin.PostAsJsonAsync("/api/v1/webhook-endpoints", new { url = "https://host.example/x", events = new[] { "payment.exploded" } })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity,
            (await admin.PostAsJsonAsync("/api/v1/webhook-endpoints", new { url = "https://host.example/x", events = Array.Empty<string>() })).StatusCode);

        var (id, secret) = await Register(new Uri("https://host.example/hooks"), "payment.succeeded");
        var shown = await (await admin.GetAsync($"/api/v1/webhook-endpoints/{id}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, shown);
        var rotated = await (await admin.PostAsync($"/api/v1/webhook-endpoints/{id}/rotate-secret", null)).Body();
        Assert.NotEqual(secret, rotated.Str("secret"));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/webhook-endpoints/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/webhook-endpoints/{id}")).StatusCode);
    }
}

public sealed class OutgoingWebhookTests_Sqlite(SqliteOutboxApp app) : OutgoingWebhookTests<SqliteOutboxApp>(app);

public sealed class OutgoingWebhookTests_Postgres(PostgresOutboxApp app) : OutgoingWebhookTests<PostgresOutboxApp>(app);

public sealed class WebhookSignatureTests
{
    [Fact]
    public void After_a_rotation_both_secrets_sign_until_the_old_one_expires()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var endpoint = new WebhookEndpoint
        {
            Id = "we_1", Url = "https://h.example/", Events = "[\"*\"]", Secret = "whsec_new", PreviousSecret = "whsec_old",
            PreviousSecretExpiresAt = now.AddHours(1),
        };
        var body = "{\"id\":\"evt_1\"}"u8.ToArray();
        var header = WebhookSignature.Sign(endpoint, body, now);
        Assert.True(TimestampedHmacSignature.Verify(header, body, "whsec_new", now, TimeSpan.FromMinutes(5)).IsValid);
        Assert.True(TimestampedHmacSignature.Verify(header, body, "whsec_old", now, TimeSpan.FromMinutes(5)).IsValid);
        var later = WebhookSignature.Sign(endpoint, body, now.AddHours(2));
        Assert.False(TimestampedHmacSignature.Verify(later, body, "whsec_old", now.AddHours(2), TimeSpan.FromMinutes(5)).IsValid);
    }

    [Fact]
    public void Backoff_doubles_with_jitter_and_is_capped()
    {
        var options = new OutboxOptions { FirstRetry = TimeSpan.FromSeconds(30), LongestRetry = TimeSpan.FromHours(6) };
        var random = new Random(7);
        for (var attempt = 1; attempt <= 20; attempt++)
        {
            var ceiling = Math.Min(6 * 3600, 30 * Math.Pow(2, attempt - 1));
            var wait = options.Backoff(attempt, random).TotalSeconds;
            Assert.InRange(wait, ceiling / 2, ceiling);
        }
    }
}
