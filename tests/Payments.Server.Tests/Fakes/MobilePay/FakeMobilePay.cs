using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Payments.Server.Tests.Fakes.MobilePay;

/// <summary>One request as the fake received it, and what it answered.</summary>
public sealed record VippsRecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public int Status { get; set; }
    public string? ResponseBody { get; set; }
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
    public JsonNode? Json => string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);
}

/// <summary>
/// A stateful Vipps MobilePay on 127.0.0.1 speaking the real wire format: the Access Token API
/// (<c>client_id</c>/<c>client_secret</c>/<c>Ocp-Apim-Subscription-Key</c> headers, the answer's numbers as
/// strings), the ePayment API v1 (create, get, capture, refund, cancel, with Idempotency-Key replay and
/// RFC 7807 problems), the Webhooks API v1 (register, list, delete) and the landing page the customer
/// approves on, which then sends the signed <c>epayments.payment.authorized.v1</c> webhook. Captures,
/// refunds and cancels queue their webhooks (<see cref="DeliverQueuedAsync"/>), as Vipps sends them
/// after answering.
/// </summary>
public sealed partial class FakeMobilePay : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Status, string Body)> _idempotent = new(StringComparer.Ordinal);
    private int _tokensIssued;

    private FakeMobilePay() => (_app, BaseAddress) = LoopbackServer.Start(HandleAsync);

    public static FakeMobilePay Start() => new();

    public Uri BaseAddress { get; }
    public string ClientId { get; } = Guid.NewGuid().ToString();
    public string ClientSecret { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
    public string SubscriptionKey { get; } = Guid.NewGuid().ToString("N");
    public string Msn { get; } = "123456";
    public FakeMobilePayState State { get; } = new();
    public ConcurrentQueue<VippsRecordedRequest> Requests { get; } = new();

    public int TokensIssued => Volatile.Read(ref _tokensIssued);

    /// <summary>Requests whose method and path match (path may end in '*' for a prefix).</summary>
    public IReadOnlyList<VippsRecordedRequest> RequestsTo(string method, string path) =>
        Requests.Where(r => r.Method == method && (path.EndsWith('*') ? r.Path.StartsWith(path[..^1], StringComparison.Ordinal) : r.Path == path)).ToList();

    /// <summary>Revokes every token issued so far: the next call gets 401.</summary>
    public void ExpireAccessTokens() => _tokens.Clear();

    public FakeVippsPayment Payment(string reference)
    {
        lock (State.Gate) return State.Payments[reference];
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var recorded = new VippsRecordedRequest(http.Request.Method, http.Request.Path.Value ?? "", http.Request.QueryString.Value ?? "", headers, body);
        Requests.Enqueue(recorded);

        if (recorded.Path == "/landing")
        {
            await LandingAsync(http, recorded);
            return;
        }
        var (status, json) = Route(recorded);
        recorded.Status = status;
        recorded.ResponseBody = json;
        http.Response.StatusCode = status;
        if (json.Length > 0)
        {
            http.Response.ContentType = status is >= 400 ? "application/problem+json" : "application/json";
            await http.Response.WriteAsync(json);
        }
    }

    private (int, string) Route(VippsRecordedRequest r)
    {
        if (r.Method == "POST" && r.Path == "/accesstoken/get") return IssueToken(r);
        if (r.Header("Ocp-Apim-Subscription-Key") != SubscriptionKey)
            return (401, """{"statusCode":401,"message":"Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription."}""");
        var bearer = r.Header("Authorization") is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : null;
        if (bearer is null || !_tokens.ContainsKey(bearer))
            return (401, """{"statusCode":401,"message":"Unauthorized. Access token is missing or invalid."}""");
        if (r.Header("Merchant-Serial-Number") != Msn)
            return Problem(403, "Forbidden", $"Merchant-Serial-Number '{r.Header("Merchant-Serial-Number")}' is not a sales unit of this client.");

        var segments = r.Path.Trim('/').Split('/');
        return (r.Method, segments) switch
        {
            ("POST", ["epayment", "v1", "payments"]) => Idempotent(r, "create", () => Create(r)),
            ("GET", ["epayment", "v1", "payments", var reference]) => Read(reference),
            ("POST", ["epayment", "v1", "payments", var reference, "capture"]) => Idempotent(r, $"capture:{reference}", () => Capture(reference, r)),
            ("POST", ["epayment", "v1", "payments", var reference, "refund"]) => Idempotent(r, $"refund:{reference}", () => Refund(reference, r)),
            ("POST", ["epayment", "v1", "payments", var reference, "cancel"]) => Idempotent(r, $"cancel:{reference}", () => Cancel(reference, r)),
            ("POST", ["webhooks", "v1", "webhooks"]) => RegisterWebhook(r),
            ("GET", ["webhooks", "v1", "webhooks"]) => ListWebhooks(),
            ("DELETE", ["webhooks", "v1", "webhooks", var id]) => DeleteWebhook(id),
            _ => Problem(404, "Not Found", $"No route {r.Method} {r.Path}."),
        };
    }

    private (int, string) IssueToken(VippsRecordedRequest r)
    {
        if (r.Header("client_id") != ClientId || r.Header("client_secret") != ClientSecret || r.Header("Ocp-Apim-Subscription-Key") != SubscriptionKey)
            return (401, """{"error":"unauthorized_client","error_description":"AADSTS7000215: Invalid client secret provided."}""");
        var token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        _tokens[token] = 0;
        Interlocked.Increment(ref _tokensIssued);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        // As Vipps answers: every number a string.
        return (200, new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = "3600",
            ["ext_expires_in"] = "3600",
            ["expires_on"] = (now + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["not_before"] = now.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["resource"] = "00000002-0000-0000-c000-000000000000",
            ["access_token"] = token,
        }.ToJsonString());
    }

    /// <summary>Idempotency-Key (required on every mutating call): a repeated key on the same operation gets the first answer again.</summary>
    private (int, string) Idempotent(VippsRecordedRequest r, string operation, Func<(int, string)> handle)
    {
        if (r.Header("Idempotency-Key") is not { Length: > 0 and <= 50 } key)
            return Problem(400, "Bad Request", "The Idempotency-Key header is required (at most 50 characters).");
        lock (_idempotent)
        {
            var entry = $"{operation}:{key}";
            if (_idempotent.TryGetValue(entry, out var first)) return first;
            var answer = handle();
            if (answer.Item1 < 500) _idempotent[entry] = answer;
            return answer;
        }
    }

    private static (int, string) Problem(int status, string title, string detail) =>
        (status, FakeMobilePayState.Problem(status, title, detail).ToJsonString());
}
