using Payments.Core.Providers;

namespace Payments.Providers.Common;

/// <summary>
/// The retry loop of the REST providers' clients (PayPal, Vipps MobilePay, Omise reads): network errors,
/// timeouts and the statuses a client names retriable are tried again with jittered exponential backoff;
/// when they persist the outcome is unknown and <see cref="ProviderUnavailableException"/> says so.
/// Any other answer, success or refusal, is returned as it came for the client to read.
/// </summary>
public static class ProviderRetries
{
    /// <summary>A request retried per the rules above; returns the status and the raw body.</summary>
    /// <param name="build">A fresh request per attempt (a sent request cannot be sent again).</param>
    /// <param name="retry">Whether an answer with this status is tried again (5xx; PayPal and Vipps also 409).</param>
    /// <param name="describe">How the provider explains an answer (its error body), for the final message.</param>
    public static async Task<(int Status, byte[] Body)> SendAsync(
        HttpClient http, Func<HttpRequestMessage> build, string provider, string path, int maxAttempts, TimeSpan retryDelay,
        Func<int, bool> retry, Func<int, byte[], string> describe, CancellationToken ct)
    {
        string? last = null;
        Exception? lastError = null;
        for (var attempt = 1; attempt <= maxAttempts; attempt++)
        {
            if (attempt > 1) await Task.Delay(Backoff(retryDelay, attempt), ct);
            try
            {
                using var request = build();
                using var response = await http.SendAsync(request, ct);
                var body = await response.Content.ReadAsByteArrayAsync(ct);
                var status = (int)response.StatusCode;
                if (!retry(status)) return (status, body);
                last = describe(status, body);
            }
            catch (Exception e) when (Unreachable(e, ct))
            {
                (last, lastError) = (Why(http, e), e);
            }
        }
        throw new ProviderUnavailableException(provider, $"{path}: {last} after {maxAttempts} attempts", lastError);
    }

    /// <summary>The provider could not be reached or did not answer in time (not: our caller gave up).</summary>
    public static bool Unreachable(Exception e, CancellationToken ct) =>
        e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested);

    public static string Why(HttpClient http, Exception e) =>
        e is TaskCanceledException ? $"no answer within {http.Timeout.TotalSeconds:0} s" : $"network error: {e.Message}";

    /// <summary>Doubling from <paramref name="retryDelay"/>, plus up to half again: retries from many nodes do not align.</summary>
    public static TimeSpan Backoff(TimeSpan retryDelay, int attempt)
    {
        var baseDelay = retryDelay * Math.Pow(2, attempt - 2);
        return baseDelay + baseDelay * Random.Shared.NextDouble() * 0.5;
    }
}
