using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Payments.Providers.MobilePay;

namespace Payments.Server.Tests.Fakes.MobilePay;

/// <summary>A webhook delivery as Vipps sends it: where to, the raw body, and the signed headers.</summary>
public sealed record VippsDelivery(Uri Url, byte[] Body, IReadOnlyDictionary<string, string> Headers)
{
    public JsonNode Json => JsonNode.Parse(Body)!;
    public string Name => (string)Json["name"]!;

    /// <summary>The same headers on another body (a tampered delivery).</summary>
    public VippsDelivery WithBody(string body) => this with { Body = Encoding.UTF8.GetBytes(body) };

    public VippsDelivery WithHeader(string name, string? value)
    {
        var headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase);
        if (value is null) headers.Remove(name);
        else headers[name] = value;
        return this with { Headers = headers };
    }
}

/// <summary>The fake's Webhooks API: registrations with their secrets, and deliveries signed with them.</summary>
public sealed partial class FakeMobilePay
{
    /// <summary>Webhooks that captures, refunds and cancels produced, not yet delivered.</summary>
    public ConcurrentQueue<VippsDelivery> Queued { get; } = new();

    /// <summary>The signing clock: a test may send deliveries dated in the past.</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    private (int, string) RegisterWebhook(VippsRecordedRequest r)
    {
        var body = r.Json;
        var url = (string?)body?["url"];
        var events = body?["events"]?.AsArray().Select(e => (string)e!).ToList();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || events is not { Count: > 0 })
            return (400, new JsonObject { ["title"] = "Bad Request", ["status"] = 400, ["detail"] = "One or more validation errors occurred." }.ToJsonString());
        var webhook = new FakeVippsWebhook(Guid.NewGuid().ToString(), uri, events, Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)));
        lock (State.Gate) State.Webhooks[webhook.Id] = webhook;
        return (201, new JsonObject { ["id"] = webhook.Id, ["secret"] = webhook.Secret }.ToJsonString());
    }

    private (int, string) ListWebhooks()
    {
        lock (State.Gate)
            return (200, new JsonObject
            {
                ["webhooks"] = new JsonArray(State.Webhooks.Values.Select(w => (JsonNode)new JsonObject
                {
                    ["id"] = w.Id, ["url"] = w.Url.AbsoluteUri, ["events"] = new JsonArray(w.Events.Select(e => (JsonNode)e!).ToArray()),
                }).ToArray()),
            }.ToJsonString());
    }

    private (int, string) DeleteWebhook(string id)
    {
        lock (State.Gate) return State.Webhooks.Remove(id) ? (204, "") : Problem(404, "Not Found", $"No webhook {id}.");
    }

    private void QueueWebhooks(FakeVippsPayment p, FakeVippsEvent e)
    {
        foreach (var delivery in Webhooks(p, e)) Queued.Enqueue(delivery);
    }

    /// <summary>One delivery per registration subscribed to the event, each signed with its own secret (call under the state lock).</summary>
    private List<VippsDelivery> Webhooks(FakeVippsPayment p, FakeVippsEvent e) =>
        State.Webhooks.Values.Where(w => w.Events.Contains(MobilePayMapper.EventType(e.Name)))
            .Select(w => Sign(w, Body(p.Reference, p.Currency, e)))
            .ToList();

    /// <summary>The ePayment webhook payload.</summary>
    public byte[] Body(string reference, string currency, FakeVippsEvent e, Action<JsonObject>? edit = null)
    {
        var body = new JsonObject
        {
            ["msn"] = Msn,
            ["reference"] = reference,
            ["pspReference"] = e.PspReference,
            ["name"] = e.Name,
            ["amount"] = FakeMobilePayState.Amount(currency, e.Amount),
            ["timestamp"] = e.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["idempotencyKey"] = e.IdempotencyKey,
            ["success"] = e.Success,
        };
        edit?.Invoke(body);
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    /// <summary>A delivery of an event from the payment's log (the last one with that name), signed for every registration; <paramref name="edit"/> may lie.</summary>
    public VippsDelivery Event(string reference, string name, Action<JsonObject>? edit = null)
    {
        lock (State.Gate)
        {
            var p = State.Payments[reference];
            var e = p.Events.Last(x => x.Name == name);
            return Sign(State.Webhooks.Values.First(), Body(reference, p.Currency, e, edit));
        }
    }

    /// <summary>Signs a body for a registration as Vipps does: HMAC-SHA256 over the method, path and query, date, host and content hash.</summary>
    public VippsDelivery Sign(FakeVippsWebhook webhook, byte[] body, string? secret = null)
    {
        var signed = MobilePayWebhookSignature.Sign(secret ?? webhook.Secret, webhook.Url, body, Clock());
        return new VippsDelivery(webhook.Url, body, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["x-ms-date"] = signed.Date,
            ["x-ms-content-sha256"] = signed.ContentHash,
            ["Authorization"] = signed.Authorization,
        });
    }

    public async Task<HttpResponseMessage> DeliverAsync(VippsDelivery delivery)
    {
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new ByteArrayContent(delivery.Body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        foreach (var (name, value) in delivery.Headers) request.Headers.TryAddWithoutValidation(name, value);
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>Sends what captures, refunds and cancels queued for <paramref name="reference"/>, in order, and answers what the service said to each.</summary>
    public async Task<List<(VippsDelivery Delivery, HttpResponseMessage Response)>> DeliverQueuedAsync(string reference)
    {
        var all = new List<VippsDelivery>();
        while (Queued.TryDequeue(out var delivery)) all.Add(delivery);
        foreach (var other in all.Where(d => (string?)d.Json["reference"] != reference)) Queued.Enqueue(other);
        var sent = new List<(VippsDelivery, HttpResponseMessage)>();
        foreach (var delivery in all.Where(d => (string?)d.Json["reference"] == reference)) sent.Add((delivery, await DeliverAsync(delivery)));
        return sent;
    }

    /// <summary>A registered webhook's secret (as the service should have stored it).</summary>
    public FakeVippsWebhook Webhook()
    {
        lock (State.Gate) return State.Webhooks.Values.Single();
    }
}
