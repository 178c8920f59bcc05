using System.Net;
using System.Text;

namespace Payments.Providers.Tests.MobilePay;

/// <summary>One request as the scripted Vipps received it.</summary>
public sealed record VippsCall(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>An HttpMessageHandler that answers what the test scripts per "METHOD /path" and records every call.</summary>
public sealed class ScriptedVipps : HttpMessageHandler
{
    private readonly Dictionary<string, Queue<(HttpStatusCode, string)>> _answers = new(StringComparer.Ordinal);
    private int _tokens;

    public List<VippsCall> Calls { get; } = [];

    /// <summary>Access tokens last this long ("expires_in", written as a string as Vipps does).</summary>
    public int TokenSeconds { get; set; } = 3600;

    public int TokensIssued => _tokens;

    /// <summary>Answers for "POST /epayment/v1/payments" and the like, in order; the last one repeats.</summary>
    public ScriptedVipps On(string route, params (HttpStatusCode Status, string Json)[] answers)
    {
        _answers[route] = new Queue<(HttpStatusCode, string)>(answers);
        return this;
    }

    public IReadOnlyList<VippsCall> To(string route) => Calls.Where(c => $"{c.Method} {c.Path}" == route).ToList();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var call = new VippsCall(request.Method.Method, request.RequestUri!.AbsolutePath, headers, body);
        Calls.Add(call);

        var route = $"{call.Method} {call.Path}";
        if (route == "POST /accesstoken/get" && !_answers.ContainsKey(route))
        {
            var n = Interlocked.Increment(ref _tokens);
            return Json(HttpStatusCode.OK, $$"""{"token_type":"Bearer","expires_in":"{{TokenSeconds}}","ext_expires_in":"{{TokenSeconds}}","expires_on":"1700000000","resource":"00000002-0000-0000-c000-000000000000","access_token":"token-{{n}}"}""");
        }
        if (!_answers.TryGetValue(route, out var queue) || queue.Count == 0)
            return Json(HttpStatusCode.NotFound, """{"type":"about:blank","title":"Not Found","status":404,"traceId":"t"}""");
        var (status, json) = queue.Count > 1 ? queue.Dequeue() : queue.Peek();
        return Json(status, json);
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
}
