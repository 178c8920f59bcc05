using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Client;

/// <summary>
/// The Payments service's HTTP API, typed. One instance per <see cref="HttpClient"/>; thread-safe.
/// Every failure the service reports arrives as a <see cref="PaymentsApiException"/> (or one of its
/// subclasses) carrying the RFC 9457 problem; network failures stay <see cref="HttpRequestException"/>
/// (then the outcome is unknown: retry a POST with the same <c>idempotencyKey</c>, or the same <c>reference</c>).
/// </summary>
public sealed partial class PaymentsClient
{
    private const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>
    /// The API's conventions: snake_case members, no nulls sent. Dictionary keys are left alone
    /// (no DictionaryKeyPolicy), so a host's <c>metadata</c> key <c>orderId</c> travels as <c>orderId</c>.
    /// </summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _http;
    private readonly PaymentsClientOptions _options;
    private readonly Uri _base;

    public PaymentsClient(HttpClient http, PaymentsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = http;
        _options = options;
        var address = options.BaseAddress ?? http.BaseAddress
                      ?? throw new InvalidOperationException("Set PaymentsClientOptions.BaseAddress (or the HttpClient's BaseAddress).");
        // Relative paths below have no leading slash, so a base with a path prefix keeps it.
        _base = address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken ct)
    {
        using var response = await SendRawAsync(method, path, body, idempotencyKey, ct).ConfigureAwait(false);
        return await ReadAsync<T>(response, ct).ConfigureAwait(false);
    }

    private Task<T> GetAsync<T>(string path, CancellationToken ct) => SendAsync<T>(HttpMethod.Get, path, null, null, ct);

    private async Task SendNoContentAsync(HttpMethod method, string path, CancellationToken ct)
    {
        using var response = await SendRawAsync(method, path, null, null, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw await PaymentsApiException.FromResponseAsync(response, ct).ConfigureAwait(false);
    }

    /// <summary>Sends a request; the caller disposes the response and checks its status.</summary>
    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(_base, path));
        if (body is not null)
        {
            // Bytes, not a streamed JsonContent: a known length, and the same bytes on a retry (the
            // service compares a replayed Idempotency-Key's body with the first one).
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), Json));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }
        if (idempotencyKey is not null)
        {
            CheckIdempotencyKey(idempotencyKey);
            request.Headers.TryAddWithoutValidation(IdempotencyHeader, idempotencyKey);
        }
        var token = _options.ApiKey;
        if (token is null && _options.BearerToken is { } source) token = await source(ct).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(token)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode) throw await PaymentsApiException.FromResponseAsync(response, ct).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<T>(Json, ct).ConfigureAwait(false)
               ?? throw new JsonException($"The service answered {(int)response.StatusCode} with an empty body where JSON was expected.");
    }

    /// <summary>The service refuses anything else with a 400; saying so here names the argument.</summary>
    private static void CheckIdempotencyKey(string key)
    {
        if (key.Length is 0 or > 255 || key.Any(c => c is < '!' or > '~'))
            throw new ArgumentException("An idempotency key is 1 to 255 visible ASCII characters (a GUID is ideal).", nameof(key));
    }

    private static string Segment(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return Uri.EscapeDataString(id);
    }

    /// <summary><c>path?name=value&amp;…</c> with the non-null values, escaped.</summary>
    private static string WithQuery(string path, params (string Name, object? Value)[] query)
    {
        var builder = new StringBuilder(path);
        var first = true;
        foreach (var (name, value) in query)
        {
            if (value is null) continue;
            var text = value switch
            {
                DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString()!,
            };
            builder.Append(first ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(text));
            first = false;
        }
        return builder.ToString();
    }
}
