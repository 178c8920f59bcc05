using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Payments.Core.Providers;

namespace Payments.Providers.Stripe;

/// <summary>An answer from Stripe: the object, or the error Stripe explained (4xx other than 409/429).</summary>
public sealed record StripeResponse<T>(HttpStatusCode Status, T? Value, StripeError? Error) where T : class
{
    public bool Ok => Value is not null;

    /// <summary>The object, or <see cref="ProviderErrorException"/> carrying Stripe's code and message.</summary>
    public T ValueOrThrow(string what) =>
        Value ?? throw new ProviderErrorException(StripeProvider.ProviderName,
            $"{what} was refused (HTTP {(int)Status} {Error})", Error?.DeclineCode ?? Error?.Code);
}

/// <summary>
/// The HTTP side of the adapter: bearer key, pinned <c>Stripe-Version</c>, form bodies, an
/// <c>Idempotency-Key</c> on every POST, and the retry policy of Stripe's own libraries: network
/// errors, 409 and 5xx are retried with jittered exponential backoff unless Stripe answers
/// <c>Stripe-Should-Retry: false</c>; <c>Stripe-Should-Retry: true</c> is retried whatever the
/// status. Retrying a POST is safe because the key makes Stripe replay the first result.
/// When no answer can be had, <see cref="ProviderUnavailableException"/>: the outcome is unknown.
/// </summary>
public sealed class StripeClient(IHttpClientFactory httpClients, StripeOptions options)
{
    public const string HttpClientName = "stripe";

    public Task<StripeResponse<T>> PostAsync<T>(string path, StripeForm form, string idempotencyKey, CancellationToken ct)
        where T : class
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        return SendAsync<T>(HttpMethod.Post, path, form.Encode(), idempotencyKey, ct);
    }

    public Task<StripeResponse<T>> GetAsync<T>(string path, StripeForm? query, CancellationToken ct) where T : class
    {
        var encoded = query?.Encode();
        return SendAsync<T>(HttpMethod.Get, string.IsNullOrEmpty(encoded) ? path : $"{path}?{encoded}", null, null, ct);
    }

    private async Task<StripeResponse<T>> SendAsync<T>(HttpMethod method, string pathAndQuery, string? body, string? idempotencyKey, CancellationToken ct)
        where T : class
    {
        var http = httpClients.CreateClient(HttpClientName);
        var what = $"{method} {pathAndQuery.Split('?')[0]}";
        for (var attempt = 0; ; attempt++)
        {
            using var request = Build(method, pathAndQuery, body, idempotencyKey);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.RequestTimeout);
            HttpStatusCode status;
            string text;
            bool? shouldRetry;
            try
            {
                using var response = await http.SendAsync(request, timeout.Token);
                status = response.StatusCode;
                shouldRetry = ShouldRetryHeader(response);
                text = await response.Content.ReadAsStringAsync(timeout.Token);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                // No answer (refused, reset, timed out): Stripe may or may not have done it.
                if (attempt < options.MaxNetworkRetries)
                {
                    await Task.Delay(Backoff(attempt), ct);
                    continue;
                }
                throw new ProviderUnavailableException(StripeProvider.ProviderName,
                    $"{what}: no answer after {attempt + 1} attempts ({e.GetType().Name}: {e.Message})", e);
            }

            var retryable = shouldRetry ?? (status == HttpStatusCode.Conflict || (int)status >= 500);
            if (retryable && attempt < options.MaxNetworkRetries)
            {
                await Task.Delay(Backoff(attempt), ct);
                continue;
            }
            return Interpret<T>(what, status, text, attempt + 1);
        }
    }

    private StripeResponse<T> Interpret<T>(string what, HttpStatusCode status, string text, int attempts) where T : class
    {
        if ((int)status is >= 200 and < 300)
            return new StripeResponse<T>(status, Parse<T>(what, text) ?? throw Unreadable(what, status), null);

        var error = Parse<StripeErrorEnvelope>(what, text)?.Error;
        // 5xx and 409 (another request with this key still running) leave the outcome open;
        // 429 did nothing, but retrying on our side would only add load: the caller tries later.
        if ((int)status >= 500 || status is HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests)
            throw new ProviderUnavailableException(StripeProvider.ProviderName,
                $"{what}: HTTP {(int)status} after {attempts} attempt(s){(error is null ? "" : $" ({error})")}");
        return new StripeResponse<T>(status, null, error ?? new StripeError { Type = "api_error", Message = Truncate(text) });
    }

    private static T? Parse<T>(string what, string text) where T : class
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return StripeJson.Read<T>(text);
        }
        catch (JsonException e)
        {
            throw new ProviderUnavailableException(StripeProvider.ProviderName, $"{what}: unreadable answer ({e.Message})", e);
        }
    }

    private static ProviderUnavailableException Unreadable(string what, HttpStatusCode status) =>
        new(StripeProvider.ProviderName, $"{what}: HTTP {(int)status} with an empty body");

    private HttpRequestMessage Build(HttpMethod method, string pathAndQuery, string? body, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(method, new Uri(options.ApiBase, pathAndQuery.TrimStart('/')));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.SecretKey);
        request.Headers.TryAddWithoutValidation("Stripe-Version", StripeOptions.ApiVersion);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Payments", "1.0"));
        if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/x-www-form-urlencoded"));
        return request;
    }

    private static bool? ShouldRetryHeader(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Stripe-Should-Retry", out var values)
            ? values.FirstOrDefault()?.Trim().ToLowerInvariant() switch { "true" => true, "false" => false, _ => null }
            : null;

    /// <summary>Exponential from <see cref="StripeOptions.InitialRetryDelay"/>, capped, times a random 50–100 % so clients spread out.</summary>
    internal TimeSpan Backoff(int attempt)
    {
        var exponential = options.InitialRetryDelay * Math.Pow(2, Math.Min(attempt, 16));
        var capped = exponential > options.MaxRetryDelay ? options.MaxRetryDelay : exponential;
        return capped * (0.5 + Random.Shared.NextDouble() * 0.5);
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
