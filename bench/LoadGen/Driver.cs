using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Payments.Bench.LoadGen;

/// <summary>What one request answered: HTTP status and, for JSON answers, the fields a scenario checks.</summary>
public readonly record struct Answer(int Status, string? Outcome, JsonElement Body)
{
    public bool Ok => Status == 200;
    public string Label => Status == 200 ? Outcome ?? "ok" : $"http_{Status}";
}

/// <summary>Sends requests and times them. Latency is measured from when a request was due to be sent.</summary>
public sealed class Driver(HttpClient http)
{
    public HttpClient Http => http;

    /// <summary>
    /// Closed loop: <paramref name="connections"/> workers each send the next request as soon as their
    /// previous one is answered. Measures the most the service can take at that concurrency.
    /// </summary>
    public async Task<(Answer[] Answers, double[] Millis, double Seconds)> ClosedLoopAsync(
        int count, int connections, Func<int, HttpRequestMessage> request, CancellationToken ct)
    {
        var answers = new Answer[count];
        var millis = new double[count];
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var sent = Stopwatch.GetTimestamp();
                answers[i] = await SendAsync(request(i), ct);
                millis[i] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            }
        }, ct)).ToArray();
        await Task.WhenAll(workers);
        return (answers, millis, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>
    /// Open loop at a fixed arrival rate: request i is due at start + i / rate whether or not earlier
    /// ones were answered, and its latency counts from that moment (no coordinated omission: a stall
    /// shows up in every request that waited behind it).
    /// </summary>
    public async Task<(Answer[] Answers, double[] Millis, double Seconds)> FixedRateAsync(
        int count, double perSecond, Func<int, HttpRequestMessage> request, CancellationToken ct)
    {
        var answers = new Answer[count];
        var millis = new double[count];
        var inFlight = new Task[count];
        var started = Stopwatch.GetTimestamp();
        var ticksPerRequest = Stopwatch.Frequency / perSecond;
        for (var i = 0; i < count; i++)
        {
            var due = started + (long)(i * ticksPerRequest);
            var wait = (due - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency;
            if (wait >= 1) await Task.Delay(TimeSpan.FromMilliseconds(wait), ct);
            var index = i;
            inFlight[i] = Task.Run(async () =>
            {
                answers[index] = await SendAsync(request(index), ct);
                millis[index] = (Stopwatch.GetTimestamp() - due) * 1000.0 / Stopwatch.Frequency;
            }, ct);
        }
        await Task.WhenAll(inFlight);
        return (answers, millis, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    public async Task<Answer> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using (request)
        {
            try
            {
                using var response = await http.SendAsync(request, ct);
                var bytes = await response.Content.ReadAsByteArrayAsync(ct);
                JsonElement body = default;
                string? outcome = null;
                if (bytes.Length > 0 && bytes[0] == (byte)'{')
                {
                    body = JsonDocument.Parse(bytes).RootElement;
                    if (body.TryGetProperty("outcome", out var o) && o.ValueKind == JsonValueKind.String) outcome = o.GetString();
                }
                return new Answer((int)response.StatusCode, outcome, body);
            }
            catch (HttpRequestException e)
            {
                return new Answer(e.StatusCode is { } status ? (int)status : 599, "transport: " + e.Message, default);
            }
        }
    }

    public static HttpClient NewClient(int connections) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        })
        { Timeout = TimeSpan.FromSeconds(60) };
}
