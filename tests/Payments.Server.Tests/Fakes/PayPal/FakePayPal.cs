using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Payments.Server.Tests.Fakes.PayPal;

/// <summary>One request as the fake received it, and what it answered.</summary>
public sealed record PayPalRecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public int Status { get; set; }
    public string? ResponseBody { get; set; }
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
    public JsonNode? Json => string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);
}

/// <summary>
/// A stateful PayPal on 127.0.0.1 speaking the REST wire format: OAuth2 client credentials with Basic
/// auth, Bearer tokens on every API call (which tests can revoke to exercise the refresh), Orders v2
/// (create, get, capture), Payments v2 (captures, refunds), PayPal-Request-Id idempotency (a repeated id
/// gets the first answer again), PayPal's amount precision rules and error bodies, and
/// verify-webhook-signature. Tests play the buyer (<see cref="Approve"/>) and deliver the signed
/// webhooks it produces (FakePayPal.Webhooks.cs) to the service.
/// </summary>
public sealed partial class FakePayPal : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (int Status, string Body)> _idempotent = new(StringComparer.Ordinal);
    private readonly Func<Uri> _webhookTarget;
    private int _tokensIssued;

    private FakePayPal(Func<Uri> webhookTarget, string webhookId)
    {
        _webhookTarget = webhookTarget;
        WebhookId = webhookId;
        (_app, BaseAddress) = LoopbackServer.Start(HandleAsync);
    }

    /// <param name="webhookTarget">The service's base address, asked at delivery time.</param>
    /// <param name="webhookId">The id of the service's webhook in this PayPal's "dashboard".</param>
    public static FakePayPal Start(Func<Uri> webhookTarget, string webhookId = "8PT597110X687430L") => new(webhookTarget, webhookId);

    public Uri BaseAddress { get; }
    public string ClientId { get; } = "AfakeClient" + Guid.NewGuid().ToString("N")[..12];
    public string ClientSecret { get; } = "EfakeSecret" + Guid.NewGuid().ToString("N");
    public string WebhookId { get; }
    public FakePayPalState State { get; } = new();
    public ConcurrentQueue<PayPalRecordedRequest> Requests { get; } = new();

    /// <summary>Makes verify-webhook-signature answer 503, as when PayPal's API is down.</summary>
    public bool VerifyApiDown { get; set; }

    public int TokensIssued => Volatile.Read(ref _tokensIssued);

    /// <summary>Requests whose method and path match (path may end in '*' for a prefix).</summary>
    public IReadOnlyList<PayPalRecordedRequest> RequestsTo(string method, string path) =>
        Requests.Where(r => r.Method == method && (path.EndsWith('*') ? r.Path.StartsWith(path[..^1], StringComparison.Ordinal) : r.Path == path)).ToList();

    /// <summary>Revokes every token issued so far: the next call gets 401 invalid_token.</summary>
    public void ExpireAccessTokens() => _tokens.Clear();

    /// <summary>The buyer approves on PayPal's page; <paramref name="outcome"/> is what their funding source does at capture.</summary>
    public void Approve(string orderId, CaptureOutcome outcome = CaptureOutcome.Completed)
    {
        lock (State.Gate)
        {
            var order = State.Orders[orderId];
            order.Status = "APPROVED";
            order.Outcome = outcome;
        }
    }

    /// <summary>The order is captured by someone else (PayPal's JS SDK in the buyer's browser), not through the service.</summary>
    public FakeCapture CaptureElsewhere(string orderId)
    {
        lock (State.Gate)
        {
            var order = State.Orders[orderId];
            if (order.Status != "APPROVED") throw new InvalidOperationException($"Order {orderId} is {order.Status}.");
            return Capture(order, CaptureOutcome.Completed);
        }
    }

    /// <summary>A pending capture settles later: PayPal completes or denies it (then sends PAYMENT.CAPTURE.*).</summary>
    public void SettlePendingCapture(string captureId, bool completed)
    {
        lock (State.Gate)
        {
            var capture = State.Captures[captureId];
            capture.Status = completed ? "COMPLETED" : "DECLINED";
            capture.StatusReason = null;
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var recorded = new PayPalRecordedRequest(http.Request.Method, http.Request.Path.Value ?? "", headers, body);
        Requests.Enqueue(recorded);

        var (status, json) = Route(recorded);
        recorded.Status = status;
        recorded.ResponseBody = json;
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.Headers["Paypal-Debug-Id"] = Guid.NewGuid().ToString("N")[..13];
        await http.Response.WriteAsync(json);
    }

    private (int, string) Route(PayPalRecordedRequest r)
    {
        if (r.Method == "POST" && r.Path == "/v1/oauth2/token") return IssueToken(r);
        var bearer = r.Header("Authorization") is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : null;
        if (bearer is null || !_tokens.ContainsKey(bearer))
            return (401, """{"error":"invalid_token","error_description":"Token signature verification failed"}""");

        var segments = r.Path.Trim('/').Split('/');
        return (r.Method, segments) switch
        {
            ("POST", ["v2", "checkout", "orders"]) => Idempotent(r, "create", () => CreateOrder(r)),
            ("GET", ["v2", "checkout", "orders", var id]) => Read(id, State.Orders, o => FakePayPalJson.Order(o, BaseAddress)),
            ("POST", ["v2", "checkout", "orders", var id, "capture"]) => Idempotent(r, $"capture:{id}", () => CaptureOrder(id)),
            ("GET", ["v2", "payments", "captures", var id]) => Read(id, State.Captures, c => FakePayPalJson.Capture(c, BaseAddress)),
            ("POST", ["v2", "payments", "captures", var id, "refund"]) => Idempotent(r, $"refund:{id}", () => RefundCapture(id, r)),
            ("GET", ["v2", "payments", "refunds", var id]) => Read(id, State.Refunds, f => FakePayPalJson.Refund(f, BaseAddress)),
            ("POST", ["v1", "notifications", "verify-webhook-signature"]) => VerifySignature(r),
            _ => (404, FakePayPalJson.Error(404, "NOT_FOUND", $"No route {r.Method} {r.Path}.").ToJsonString()),
        };
    }

    private (int, string) IssueToken(PayPalRecordedRequest r)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}"));
        if (r.Header("Authorization") != expected)
            return (401, """{"error":"invalid_client","error_description":"Client Authentication failed"}""");
        if (r.Body != "grant_type=client_credentials")
            return (400, """{"error":"unsupported_grant_type","error_description":"Grant Type is NULL"}""");
        var token = "A21AA" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        _tokens[token] = 0;
        Interlocked.Increment(ref _tokensIssued);
        return (200, new JsonObject
        {
            ["scope"] = "https://uri.paypal.com/services/payments/payment https://uri.paypal.com/services/applications/webhooks",
            ["access_token"] = token,
            ["token_type"] = "Bearer",
            ["app_id"] = "APP-80W284485P519543T",
            ["expires_in"] = 32400,
            ["nonce"] = "2026-01-01T00:00:00Z" + Guid.NewGuid().ToString("N")[..8],
        }.ToJsonString());
    }

    /// <summary>PayPal-Request-Id: a repeated id on the same operation gets the first answer again, whatever it was.</summary>
    private (int, string) Idempotent(PayPalRecordedRequest r, string operation, Func<(int, string)> handle)
    {
        if (r.Header("PayPal-Request-Id") is not { Length: > 0 } requestId) return handle();
        lock (_idempotent)
        {
            var key = $"{operation}:{requestId}";
            if (_idempotent.TryGetValue(key, out var first)) return first;
            var answer = handle();
            if (answer.Item1 < 500) _idempotent[key] = answer;
            return answer;
        }
    }

    private (int, string) Read<T>(string id, Dictionary<string, T> resources, Func<T, JsonObject> render)
    {
        lock (State.Gate)
            return resources.TryGetValue(id, out var resource)
                ? (200, render(resource).ToJsonString())
                : (404, FakePayPalJson.Error(404, "INVALID_RESOURCE_ID", "Specified resource ID does not exist. Please check the resource ID and try again.").ToJsonString());
    }
}
