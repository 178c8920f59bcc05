using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Payments.Server.Tests.Fakes.Stripe;

/// <summary>One request as the fake received it, form body decoded.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers,
    string Body, IReadOnlyList<KeyValuePair<string, string>> Form)
{
    public string? this[string key] => Form.LastOrDefault(p => p.Key == key).Value;
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A stateful Stripe on 127.0.0.1 speaking Stripe's wire format, written from Stripe's API reference
/// and not from the SDK: it insists on the bearer key, the pinned <c>Stripe-Version</c>, Stripe.net
/// 53.1.0's <c>User-Agent</c>, form-encoded bodies and an <c>Idempotency-Key</c> on every POST
/// (replaying the first answer for a repeated key, refusing a key reused with other parameters),
/// rejects parameters Stripe does not know, and answers in Stripe's JSON shapes. Every refusal of a
/// malformed request is also kept in <see cref="Violations"/>, so a test can prove there were none. Tests play the
/// customer through it (<see cref="Pay"/>, <see cref="Decline"/>, …) and deliver the events it
/// produces, signed with the endpoint secret, to the service (<see cref="DeliverAsync"/>).
/// </summary>
public sealed partial class FakeStripe : IAsyncDisposable
{
    public const string ApiVersion = "2026-10-28.endive";

    /// <summary>How Stripe.net 53.1.0 names itself (more may follow, e.g. an app's name).</summary>
    public const string SdkUserAgent = "Stripe/v1 .NetBindings/53.1.0";
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly ConcurrentDictionary<string, (string Fingerprint, int Status, string Body)> _idempotent = new();
    private readonly Func<Uri> _webhookTarget;

    private FakeStripe(Func<Uri> webhookTarget)
    {
        _webhookTarget = webhookTarget;
        (_app, BaseAddress) = LoopbackServer.Start(HandleAsync);
    }

    /// <param name="webhookTarget">The service's base address, asked at delivery time.</param>
    public static FakeStripe Start(Func<Uri> webhookTarget) => new(webhookTarget);

    public Uri BaseAddress { get; }
    public string SecretKey { get; } = "sk_test_fake_" + Guid.NewGuid().ToString("N")[..12];
    public string WebhookSecret { get; } = "whsec_fake_" + Guid.NewGuid().ToString("N");

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Requests the fake refused as malformed (wrong headers, unknown parameters), with why.</summary>
    public ConcurrentQueue<string> Violations { get; } = new();

    /// <summary>Requests to a path (e.g. "/v1/checkout/sessions"), in order.</summary>
    public IReadOnlyList<RecordedRequest> RequestsTo(string path) => Requests.Where(r => r.Path == path).ToList();

    /// <summary>The next <paramref name="times"/> requests to <paramref name="path"/> get this status (a Stripe error body).</summary>
    public void Fail(string path, int times, int status, bool? shouldRetry = null, string type = "api_error", string? code = null)
    {
        for (var i = 0; i < times; i++) _faults.Enqueue(new Fault(path, status, shouldRetry, type, code, null));
    }

    /// <summary>The next requests to <paramref name="path"/> lose their connection, before or after Stripe did the work.</summary>
    public void Drop(string path, int times, bool afterProcessing)
    {
        for (var i = 0; i < times; i++) _faults.Enqueue(new Fault(path, afterProcessing ? -2 : -1, null, "", null, null));
    }

    /// <summary>The next requests to <paramref name="path"/> answer only after <paramref name="delay"/> (client timeouts).</summary>
    public void Delay(string path, int times, TimeSpan delay)
    {
        for (var i = 0; i < times; i++) _faults.Enqueue(new Fault(path, 0, null, "", null, delay));
    }

    private sealed record Fault(string Path, int Status, bool? ShouldRetry, string Type, string? Code, TimeSpan? Delay);

    private async Task HandleAsync(HttpContext http)
    {
        var body = await new StreamReader(http.Request.Body, Encoding.UTF8).ReadToEndAsync();
        var recorded = new RecordedRequest(http.Request.Method, http.Request.Path.Value ?? "", http.Request.QueryString.Value ?? "",
            http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body,
            FormCodec.Decode(http.Request.Method == "GET" ? (http.Request.QueryString.Value ?? "").TrimStart('?') : body));
        Requests.Enqueue(recorded);

        var fault = TakeFault(recorded.Path);
        if (fault?.Delay is { } delay) await Task.Delay(delay);
        if (fault is { Status: -1 })
        {
            http.Abort();
            return;
        }
        if (fault is { Status: > 0 })
        {
            if (fault.ShouldRetry is { } retry) http.Response.Headers["Stripe-Should-Retry"] = retry ? "true" : "false";
            await WriteAsync(http, fault.Status, StripeError(fault.Type, fault.Code, $"Injected HTTP {fault.Status}."));
            return;
        }

        var (status, json) = Check(recorded) is { } refused ? Refuse(recorded, refused) : Idempotent(recorded, () => Route(recorded));
        if (fault is { Status: -2 })
        {
            http.Abort(); // the work is done; the answer is lost on the way back
            return;
        }
        await WriteAsync(http, status, json);
    }

    private Fault? TakeFault(string path)
    {
        // Faults for other paths stay queued in order; only a matching head is consumed.
        lock (_faults)
        {
            if (_faults.TryPeek(out var head) && path.StartsWith(head.Path, StringComparison.Ordinal) && _faults.TryDequeue(out var taken))
                return taken;
        }
        return null;
    }

    /// <summary>What every request must carry; a violation is answered 400 so the calling test fails.</summary>
    private (int, string)? Check(RecordedRequest r)
    {
        if (r.Header("Authorization") != $"Bearer {SecretKey}")
            return (401, StripeError("invalid_request_error", null, "Invalid API Key provided."));
        var agent = r.Header("User-Agent") ?? "";
        if (!agent.Equals(SdkUserAgent, StringComparison.OrdinalIgnoreCase) && !agent.StartsWith(SdkUserAgent + " ", StringComparison.OrdinalIgnoreCase))
            return (400, StripeError("invalid_request_error", "fake_stripe_check", $"User-Agent must be Stripe.net 53.1.0's ({SdkUserAgent} …), not '{agent}'."));
        if (r.Header("Stripe-Version") != ApiVersion)
            return (400, StripeError("invalid_request_error", "fake_stripe_check", $"Stripe-Version must be pinned to {ApiVersion}."));
        if (r.Method != "POST")
            return r.Body.Length == 0 ? null : (400, StripeError("invalid_request_error", "fake_stripe_check", $"A {r.Method} carries no body."));
        if (r.Header("Content-Type")?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) != true)
            return (400, StripeError("invalid_request_error", "fake_stripe_check", "POST bodies must be form-encoded."));
        if (string.IsNullOrEmpty(r.Header("Idempotency-Key")))
            return (400, StripeError("invalid_request_error", "fake_stripe_check", "Every POST must carry an Idempotency-Key."));
        return null;
    }

    private (int, string) Refuse(RecordedRequest r, (int Status, string Json) refused)
    {
        // A wrong key is a configuration mistake a test may make on purpose, not a malformed request.
        if (refused.Status != 401) Violations.Enqueue($"{r.Method} {r.Path}: HTTP {refused.Status} {refused.Json}");
        return refused;
    }

    /// <summary>Stripe's idempotency: same key and parameters → the saved answer; same key, other parameters → 400.</summary>
    private (int, string) Idempotent(RecordedRequest r, Func<(int, string)> run)
    {
        if (r.Method != "POST") return run();
        var key = r.Header("Idempotency-Key")!;
        var fingerprint = $"{r.Path}?{r.Body}";
        lock (_idempotent)
        {
            if (_idempotent.TryGetValue(key, out var saved))
                return saved.Fingerprint == fingerprint
                    ? (saved.Status, saved.Body)
                    : (400, StripeError("idempotency_error", null,
                        "Keys for idempotent requests can only be used with the same parameters they were first used with."));
            var (status, json) = run();
            if (status is >= 200 and < 300 or 402) _idempotent[key] = (fingerprint, status, json);
            return (status, json);
        }
    }

    private static Task WriteAsync(HttpContext http, int status, string json)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        _webhooks.Dispose();
        _apple.Dispose();
        await _app.DisposeAsync();
    }
}
