using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Payments.Server.Tests.Fakes.Omise;

/// <summary>A webhook delivery as Omise sends it: the raw event body, and the signature headers when signed.</summary>
public sealed record OmiseDelivery(byte[] Body, IReadOnlyDictionary<string, string> Headers)
{
    public string EventId => JsonNode.Parse(Body)!["id"]!.GetValue<string>();

    /// <summary>The same headers on another body (a tampered delivery).</summary>
    public OmiseDelivery WithBody(string body) => this with { Body = Encoding.UTF8.GetBytes(body) };

    /// <summary>What Omise's older, unsigned events look like: the body alone.</summary>
    public OmiseDelivery Unsigned() => this with { Headers = new Dictionary<string, string>() };
}

/// <summary>The answer the service gave to a delivery.</summary>
public sealed record OmiseDeliveryAnswer(OmiseDelivery Delivery, HttpStatusCode Status, string Body);

public sealed partial class FakeOmise
{
    /// <summary>Every delivery the hosted page posted, with the service's answer.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<OmiseDeliveryAnswer> Delivered { get; } = new();

    /// <summary>
    /// The test-mode page at <c>authorize_uri</c>: GET shows the charge and two buttons; POST
    /// <c>outcome=successful|failed</c> settles the charge, posts <c>charge.complete</c> to the service (the
    /// answer is kept in <see cref="Delivered"/>) and sends the buyer to the charge's <c>return_uri</c>.
    /// </summary>
    private async Task HostedPageAsync(HttpContext http, OmiseRecordedRequest r)
    {
        var id = r.Path["/pay/".Length..];
        FakeCharge? charge;
        lock (State.Gate) State.Charges.TryGetValue(id, out charge);
        if (charge is null || charge.Status != "pending")
        {
            http.Response.StatusCode = 404;
            await http.Response.WriteAsync("This payment link is not valid.");
            return;
        }
        if (r.Method == "GET")
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync(
                $"<!doctype html><title>Omise test payment</title><h1>{WebUtility.HtmlEncode(charge.Description)}</h1>" +
                $"<p>{charge.Amount} {charge.Currency.ToUpperInvariant()} ({charge.SourceType})</p>" +
                $"<form method=\"post\"><button name=\"outcome\" value=\"successful\">Pay</button><button name=\"outcome\" value=\"failed\">Fail</button></form>");
            return;
        }
        var outcome = r.Body.Split('&').Select(p => p.Split('=')).FirstOrDefault(p => p[0] == "outcome")?.ElementAtOrDefault(1);
        if (outcome is not ("successful" or "failed"))
        {
            http.Response.StatusCode = 400;
            return;
        }
        Complete(id, outcome == "successful");
        var delivery = ChargeEvent("charge.complete", id);
        using var answer = await DeliverAsync(delivery);
        Delivered.Enqueue(new OmiseDeliveryAnswer(delivery, answer.StatusCode, await answer.Content.ReadAsStringAsync()));
        http.Response.StatusCode = 302;
        http.Response.Headers.Location = charge.ReturnUri;
    }

    /// <summary>The buyer pays (or fails) without any webhook reaching the service.</summary>
    public void Complete(string chargeId, bool successful = true)
    {
        lock (State.Gate)
        {
            var charge = State.Charges[chargeId];
            charge.Status = successful ? "successful" : "failed";
            charge.Paid = successful;
            charge.PaidAt = successful ? DateTimeOffset.UtcNow : null;
            charge.FailureCode = successful ? null : "payment_rejected";
        }
    }

    /// <summary>An event about a charge as it is now (<c>charge.create</c>, <c>charge.complete</c>, …).</summary>
    public OmiseDelivery ChargeEvent(string key, string chargeId, string? eventId = null)
    {
        JsonObject data;
        lock (State.Gate) data = FakeOmiseJson.Charge(State.Charges[chargeId], BaseAddress);
        return Event(key, data, eventId);
    }

    /// <summary><c>refund.create</c> for one refund.</summary>
    public OmiseDelivery RefundEvent(FakeRefund refund) => Event("refund.create", FakeOmiseJson.Refund(refund));

    public FakeRefund RefundOf(string chargeId, int index = 0)
    {
        lock (State.Gate) return State.Charges[chargeId].Refunds[index];
    }

    /// <summary>An event envelope around <paramref name="data"/>, signed when this account has a webhook secret.</summary>
    public OmiseDelivery Event(string key, JsonObject data, string? eventId = null, DateTimeOffset? signedAt = null)
    {
        var id = eventId ?? FakeOmiseState.NewId("evnt");
        var body = new JsonObject
        {
            ["object"] = "event",
            ["id"] = id,
            ["livemode"] = false,
            ["location"] = $"/events/{id}",
            ["webhook_deliveries"] = new JsonArray(),
            ["data"] = data,
            ["key"] = key,
            ["created_at"] = FakeOmiseState.Time(DateTimeOffset.UtcNow),
        };
        // Raw UTF-8: the signature covers the bytes as sent, so a service that re-serialized first would fail.
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        return WebhookSecret is null ? new OmiseDelivery(bytes, new Dictionary<string, string>()) : Sign(bytes, signedAt ?? DateTimeOffset.UtcNow);
    }

    /// <summary>Omise-Signature: hex HMAC-SHA256, keyed with the secret's bytes, over "{timestamp}.{body}".</summary>
    public OmiseDelivery Sign(byte[] body, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        byte[] message = [.. Encoding.ASCII.GetBytes(timestamp + "."), .. body];
        var mac = HMACSHA256.HashData(Convert.FromBase64String(WebhookSecret!), message);
        return new OmiseDelivery(body, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Omise-Signature"] = Convert.ToHexStringLower(mac),
            ["Omise-Signature-Timestamp"] = timestamp,
        });
    }

    /// <summary>Posts a delivery to the service's Omise webhook route, as Omise would.</summary>
    public async Task<HttpResponseMessage> DeliverAsync(OmiseDelivery delivery)
    {
        using var http = new HttpClient { BaseAddress = _webhookTarget() };
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payment/webhook/omise")
        {
            Content = new ByteArrayContent(delivery.Body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        foreach (var (name, value) in delivery.Headers) request.Headers.TryAddWithoutValidation(name, value);
        return await http.SendAsync(request);
    }
}

