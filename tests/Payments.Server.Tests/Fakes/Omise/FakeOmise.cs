using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Payments.Server.Tests.Fakes.Omise;

/// <summary>One request as the fake received it, and what it answered.</summary>
public sealed record OmiseRecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public int Status { get; set; }
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
    public JsonNode? Json => string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);
}

/// <summary>
/// A stateful Omise on 127.0.0.1 speaking its REST wire format: HTTP Basic with the secret key as user name
/// and an empty password (anything else is 401 <c>authentication_failure</c>), JSON bodies, charges with an
/// offsite source (<c>POST /charges</c>, <c>GET /charges/{id}</c>), refunds (<c>POST</c> and <c>GET
/// /charges/{id}/refunds</c>, at most what is left, only on paid charges), <c>Idempotency-Key</c> replays, and
/// Omise's error bodies. Test mode's hosted page (<c>authorize_uri</c>, FakeOmise.Webhooks.cs) lets the buyer
/// pay or fail, then posts <c>charge.complete</c> to the service, signed when a webhook secret is set.
/// </summary>
public sealed partial class FakeOmise : IAsyncDisposable
{
    private static readonly HashSet<string> Currencies = ["thb", "jpy", "sgd", "myr", "usd", "eur", "gbp", "aud", "cad", "chf", "cny", "dkk", "hkd"];
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (int Status, string Body)> _idempotent = new(StringComparer.Ordinal);
    private readonly Func<Uri> _webhookTarget;

    private FakeOmise(Func<Uri> webhookTarget, bool signed)
    {
        _webhookTarget = webhookTarget;
        WebhookSecret = signed ? Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) : null;
        (_app, BaseAddress) = LoopbackServer.Start(HandleAsync);
    }

    /// <param name="webhookTarget">The service's base address, asked at delivery time.</param>
    /// <param name="signed">Whether this account has a webhook secret (and so signs its deliveries).</param>
    public static FakeOmise Start(Func<Uri> webhookTarget, bool signed) => new(webhookTarget, signed);

    public Uri BaseAddress { get; }
    public string SecretKey { get; } = "skey_test_" + Guid.NewGuid().ToString("N")[..19];
    public string PublicKey { get; } = "pkey_test_" + Guid.NewGuid().ToString("N")[..19];

    /// <summary>The dashboard's webhook secret (base64), or null when deliveries go out unsigned.</summary>
    public string? WebhookSecret { get; }

    public FakeOmiseState State { get; } = new();
    public ConcurrentQueue<OmiseRecordedRequest> Requests { get; } = new();

    public IReadOnlyList<OmiseRecordedRequest> RequestsTo(string method, string path) =>
        Requests.Where(r => r.Method == method && r.Path == path).ToList();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var recorded = new OmiseRecordedRequest(http.Request.Method, http.Request.Path.Value ?? "", http.Request.QueryString.Value ?? "", headers, body);
        Requests.Enqueue(recorded);

        if (recorded.Path.StartsWith("/pay/", StringComparison.Ordinal))
        {
            await HostedPageAsync(http, recorded);
            recorded.Status = http.Response.StatusCode;
            return;
        }
        var (status, json) = Route(recorded);
        recorded.Status = status;
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(json);
    }

    private (int, string) Route(OmiseRecordedRequest r)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(SecretKey + ":"));
        if (r.Header("Authorization") != expected)
            return (401, FakeOmiseJson.Error("authentication_failure", "authentication failed"));

        var segments = r.Path.Trim('/').Split('/');
        return (r.Method, segments) switch
        {
            ("POST", ["charges"]) => Idempotent(r, "charges", () => CreateCharge(r)),
            ("GET", ["charges", var id]) => Read(id, c => FakeOmiseJson.Charge(c, BaseAddress)),
            ("GET", ["charges", var id, "refunds"]) => Read(id, c =>
                FakeOmiseJson.List(c.Refunds.AsEnumerable().Reverse().Select(FakeOmiseJson.Refund), $"/charges/{c.Id}/refunds")),
            ("POST", ["charges", var id, "refunds"]) => Idempotent(r, $"refunds:{id}", () => CreateRefund(id, r)),
            _ => (404, FakeOmiseJson.Error("not_found", $"{r.Method} {r.Path} was not found")),
        };
    }

    private (int, string) CreateCharge(OmiseRecordedRequest r)
    {
        if (r.Header("Content-Type")?.StartsWith("application/json", StringComparison.Ordinal) != true || r.Json is not JsonObject json)
            return (400, FakeOmiseJson.Error("bad_request", "the request body is not JSON"));
        var amount = json["amount"]?.GetValue<long>() ?? 0;
        var currency = json["currency"]?.GetValue<string>() ?? "";
        var source = json["source"]?["type"]?.GetValue<string>();
        if (amount <= 0) return (400, FakeOmiseJson.Error("invalid_charge", "amount must be greater than 0"));
        if (!Currencies.Contains(currency)) return (400, FakeOmiseJson.Error("invalid_charge", "currency is currently not supported"));
        if (source is null) return (400, FakeOmiseJson.Error("invalid_charge", "card, customer or source is required"));
        if (source == "promptpay" && currency != "thb") return (400, FakeOmiseJson.Error("invalid_charge", "currency is not supported by the source"));
        return Answer(Add(amount, currency, source, json["metadata"] as JsonObject, json["description"]?.GetValue<string>(),
            json["return_uri"]?.GetValue<string>()));
    }

    /// <summary>A charge made some other way (Omise's dashboard, another integration on the account).</summary>
    public FakeCharge Add(long amount, string currency, string source, JsonObject? metadata = null, string? description = null, string? returnUri = null)
    {
        var charge = new FakeCharge
        {
            Id = FakeOmiseState.NewId("chrg"), Amount = amount, Currency = currency, SourceType = source,
            Metadata = (JsonObject?)metadata?.DeepClone() ?? [], Description = description, ReturnUri = returnUri,
        };
        lock (State.Gate) State.Charges[charge.Id] = charge;
        return charge;
    }

    private (int, string) CreateRefund(string chargeId, OmiseRecordedRequest r)
    {
        var amount = r.Json?["amount"]?.GetValue<long>() ?? 0;
        lock (State.Gate)
        {
            if (!State.Charges.TryGetValue(chargeId, out var charge)) return NotFound(chargeId);
            if (!charge.Paid) return (400, FakeOmiseJson.Error("failed_refund", "charge is not paid"));
            if (amount <= 0 || amount > charge.Amount - charge.RefundedAmount)
                return (400, FakeOmiseJson.Error("failed_refund", "amount must be less than or equal to the refundable amount"));
            var refund = new FakeRefund(FakeOmiseState.NewId("rfnd"), chargeId, amount, charge.Currency,
                (JsonObject?)r.Json?["metadata"]?.DeepClone() ?? [], DateTimeOffset.UtcNow);
            charge.Refunds.Add(refund);
            return (200, FakeOmiseJson.Refund(refund).ToJsonString());
        }
    }

    /// <summary>A refund made in Omise's dashboard, not through the service.</summary>
    public FakeRefund RefundElsewhere(string chargeId, long amount)
    {
        lock (State.Gate)
        {
            var charge = State.Charges[chargeId];
            var refund = new FakeRefund(FakeOmiseState.NewId("rfnd"), chargeId, amount, charge.Currency, [], DateTimeOffset.UtcNow);
            charge.Refunds.Add(refund);
            return refund;
        }
    }

    /// <summary>Idempotency-Key: a repeated key on the same operation gets the first answer again.</summary>
    private (int, string) Idempotent(OmiseRecordedRequest r, string operation, Func<(int, string)> handle)
    {
        if (r.Header("Idempotency-Key") is not { Length: > 0 } key) return handle();
        lock (_idempotent)
        {
            if (_idempotent.TryGetValue($"{operation}:{key}", out var first)) return first;
            var answer = handle();
            if (answer.Item1 < 500) _idempotent[$"{operation}:{key}"] = answer;
            return answer;
        }
    }

    private (int, string) Read(string id, Func<FakeCharge, JsonObject> render)
    {
        lock (State.Gate)
            return State.Charges.TryGetValue(id, out var charge) ? (200, render(charge).ToJsonString()) : NotFound(id);
    }

    private (int, string) Answer(FakeCharge charge)
    {
        lock (State.Gate) return (200, FakeOmiseJson.Charge(charge, BaseAddress).ToJsonString());
    }

    private static (int, string) NotFound(string id) => (404, FakeOmiseJson.Error("not_found", $"charge {id} was not found"));
}
