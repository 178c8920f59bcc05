using System.Net;
using Payments.Core.Providers;
using Sdk = global::Stripe;

namespace Payments.Providers.Stripe;

/// <summary>
/// Stripe.net as this adapter uses it: one <see cref="Sdk.StripeClient"/> on an <c>HttpClient</c> from
/// <see cref="IHttpClientFactory"/>, and the SDK's exceptions in our vocabulary. The SDK's
/// <see cref="Sdk.SystemNetHttpClient"/> owns Stripe's retry policy (network errors, timeouts, 409 and
/// 5xx with jittered backoff, <c>Stripe-Should-Retry</c> obeyed either way); retrying a POST is safe
/// because every mutating call carries our idempotency key, so Stripe replays the first result.
/// </summary>
internal static class StripeSdk
{
    public const string HttpClientName = "stripe";

    /// <summary>Stripe.net prints a response's <c>Stripe-Notice</c> header to stderr unless this is "true".</summary>
    public const string SuppressNoticesVariable = "STRIPE_SUPPRESS_NOTICES";

    public static Sdk.StripeClient Create(StripeOptions options, IHttpClientFactory httpClients)
    {
        // A server's stderr is not a place for the SDK to talk; an operator who wants the notices can still set "false".
        if (Environment.GetEnvironmentVariable(SuppressNoticesVariable) is null)
            Environment.SetEnvironmentVariable(SuppressNoticesVariable, "true");
        var http = httpClients.CreateClient(HttpClientName);
        // SystemNetHttpClient calls SendAsync once per attempt, so the HttpClient's timeout is the per-attempt
        // deadline, and the SDK retries an attempt that ran out of it like any other network error.
        http.Timeout = options.RequestTimeout;
        return new Sdk.StripeClient(options.SecretKey,
            httpClient: new Sdk.SystemNetHttpClient(http, maxNetworkRetries: options.MaxNetworkRetries, enableTelemetry: false),
            // The SDK appends "/v1/…" to the base as it is; a trailing slash would make "//v1/…".
            apiBase: options.ApiBase.ToString().TrimEnd('/'));
    }

    /// <summary>
    /// Runs one SDK call (retries included). <paramref name="answer"/> may turn a Stripe error into a
    /// result (a declined card, a refused refund, an id Stripe does not know); any other error becomes
    /// <see cref="ProviderErrorException"/> (Stripe refused: 4xx with its code) or
    /// <see cref="ProviderUnavailableException"/> (no answer, 409, 429, 5xx: the outcome is unknown).
    /// </summary>
    public static async Task<T> SendAsync<T>(string what, Func<CancellationToken, Task<T>> call,
        Func<Sdk.StripeException, T?>? answer, int attempts, CancellationToken ct) where T : class
    {
        try
        {
            return await call(ct);
        }
        catch (Sdk.StripeException e)
        {
            if (LeavesOutcomeOpen(e.HttpStatusCode))
                throw new ProviderUnavailableException(StripeProvider.ProviderName,
                    $"{what}: HTTP {(int)e.HttpStatusCode} ({Describe(e)})", e);
            if (answer?.Invoke(e) is { } answered) return answered;
            throw new ProviderErrorException(StripeProvider.ProviderName,
                $"{what} was refused (HTTP {(int)e.HttpStatusCode} {Describe(e)})", e.StripeError?.DeclineCode ?? e.StripeError?.Code, e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            // No answer (refused, reset, timed out) on every attempt: Stripe may or may not have done it.
            throw new ProviderUnavailableException(StripeProvider.ProviderName,
                $"{what}: no answer after {attempts} attempts ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>
    /// 5xx and 409 (another request with this key still running) leave the outcome open; 429 did nothing,
    /// but the caller tries later rather than adding load now. Below 400 the SDK could not read an answer.
    /// </summary>
    private static bool LeavesOutcomeOpen(HttpStatusCode status) =>
        (int)status >= 500 || (int)status < 400 || status is HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests;

    /// <summary>"invalid_request_error parameter_missing: Missing required param: …", or the SDK's own message.</summary>
    public static string Describe(Sdk.StripeException e) => e.StripeError is { } error ? Describe(error) : e.Message;

    public static string Describe(Sdk.StripeError error) =>
        string.Join(" ", new[] { error.Type, error.Code, error.DeclineCode }.Where(s => !string.IsNullOrEmpty(s)))
        + (error.Message is null ? "" : $": {error.Message}");
}
