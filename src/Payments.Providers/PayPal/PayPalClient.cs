using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Payments.Core.Providers;
using Payments.Providers.Common;

namespace Payments.Providers.PayPal;

/// <summary>One answer from PayPal: the status and the raw body, read as the caller needs.</summary>
public sealed record PayPalResponse(int Status, byte[] Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public T? As<T>() where T : class => PayPalJson.Read<T>(Body);

    /// <summary>The first <c>details[].issue</c> (ORDER_ALREADY_CAPTURED, INSTRUMENT_DECLINED, …), else the error name.</summary>
    public string? Issue => As<PayPalError>() is { } e ? e.Details?.FirstOrDefault()?.Issue ?? e.Name ?? e.Error : null;

    public string Describe()
    {
        var e = As<PayPalError>();
        return $"HTTP {Status} {Issue ?? "(no error body)"}" + (e?.DebugId is { } id ? $" (debug_id {id})" : "");
    }
}

/// <summary>
/// Typed HttpClient for PayPal's REST API: OAuth2 client credentials (token cached in
/// <see cref="PayPalAccessTokens"/>, renewed once on 401), Orders v2, Payments v2 and webhook
/// signature verification. Network errors, 409 and 5xx are retried with jittered backoff (every
/// mutating call carries a PayPal-Request-Id, so a retry cannot act twice); when they persist the
/// outcome is unknown and <see cref="ProviderUnavailableException"/> says so.
/// </summary>
public sealed class PayPalClient(HttpClient http, PayPalAccessTokens tokens, PayPalOptions options)
{
    private const string Provider = PayPalProvider.ProviderName;

    public async Task<PayPalOrder> CreateOrderAsync(PayPalCreateOrder order, string requestId, CancellationToken ct)
    {
        var response = await SendAsync(HttpMethod.Post, "v2/checkout/orders", () => JsonContent.Create(order, options: PayPalJson.Options), requestId, ct);
        return response.IsSuccess && response.As<PayPalOrder>() is { Id: not null } created
            ? created
            : throw Failed("creating the order", response);
    }

    /// <summary>Captures an order; the caller reads the answer (a 422 such as ORDER_ALREADY_CAPTURED is not always an error).</summary>
    public Task<PayPalResponse> CaptureOrderAsync(string orderId, string requestId, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"v2/checkout/orders/{Uri.EscapeDataString(orderId)}/capture",
            () => new StringContent("", Encoding.UTF8, "application/json"), requestId, ct);

    public Task<PayPalOrder?> GetOrderAsync(string orderId, CancellationToken ct) =>
        GetAsync<PayPalOrder>($"v2/checkout/orders/{Uri.EscapeDataString(orderId)}", "order", ct);

    public Task<PayPalCapture?> GetCaptureAsync(string captureId, CancellationToken ct) =>
        GetAsync<PayPalCapture>($"v2/payments/captures/{Uri.EscapeDataString(captureId)}", "capture", ct);

    public Task<PayPalRefund?> GetRefundAsync(string refundId, CancellationToken ct) =>
        GetAsync<PayPalRefund>($"v2/payments/refunds/{Uri.EscapeDataString(refundId)}", "refund", ct);

    public Task<PayPalResponse> RefundCaptureAsync(string captureId, PayPalRefundRequest refund, string requestId, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"v2/payments/captures/{Uri.EscapeDataString(captureId)}/refund",
            () => JsonContent.Create(refund, options: PayPalJson.Options), requestId, ct);

    /// <summary>PayPal's verdict on a delivery: true only for <c>verification_status: SUCCESS</c>.</summary>
    public async Task<bool> VerifyWebhookSignatureAsync(byte[] request, CancellationToken ct)
    {
        var response = await SendAsync(HttpMethod.Post, "v1/notifications/verify-webhook-signature",
            () => new ByteArrayContent(request) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }, null, ct);
        return response.IsSuccess
            ? response.As<PayPalVerifySignatureResponse>()?.VerificationStatus == "SUCCESS"
            : throw Failed("verifying a webhook signature", response);
    }

    private async Task<T?> GetAsync<T>(string path, string what, CancellationToken ct) where T : class
    {
        var response = await SendAsync(HttpMethod.Get, path, null, null, ct);
        if (response.Status == 404) return null; // RESOURCE_NOT_FOUND: not (or no longer) PayPal's
        return response.IsSuccess && response.As<T>() is { } value ? value : throw Failed($"reading the {what}", response);
    }

    private async Task<PayPalResponse> SendAsync(
        HttpMethod method, string path, Func<HttpContent>? content, string? requestId, CancellationToken ct)
    {
        HttpRequestMessage Build(string token)
        {
            var request = new HttpRequestMessage(method, path) { Content = content?.Invoke() };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (requestId is not null) request.Headers.TryAddWithoutValidation("PayPal-Request-Id", requestId);
            if (method == HttpMethod.Post) request.Headers.TryAddWithoutValidation("Prefer", "return=representation");
            return request;
        }

        var token = await tokens.GetAsync(FetchTokenAsync, ct);
        var response = await SendWithRetriesAsync(() => Build(token), path, ct);
        if (response.Status != 401) return response;

        // Revoked or expired early: one fresh token, one more try. A second 401 is not going to heal.
        tokens.Invalidate(token);
        token = await tokens.GetAsync(FetchTokenAsync, ct);
        response = await SendWithRetriesAsync(() => Build(token), path, ct);
        return response.Status != 401 ? response : throw Failed("authenticating (a fresh token was refused too)", response);
    }

    private async Task<(string, TimeSpan)> FetchTokenAsync(CancellationToken ct)
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.ClientId}:{options.ClientSecret}"));
        var response = await SendWithRetriesAsync(() => new HttpRequestMessage(HttpMethod.Post, "v1/oauth2/token")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Basic", basic) },
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        }, "v1/oauth2/token", ct);
        if (response.IsSuccess && response.As<PayPalToken>() is { AccessToken.Length: > 0 } token)
            return (token.AccessToken!, TimeSpan.FromSeconds(token.ExpiresIn > 0 ? token.ExpiresIn : 60));
        throw Failed("getting an access token with PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET", response);
    }

    /// <summary>Network errors, 409 and 5xx are tried again (<see cref="ProviderRetries"/>); any other answer is returned.</summary>
    private async Task<PayPalResponse> SendWithRetriesAsync(Func<HttpRequestMessage> build, string path, CancellationToken ct)
    {
        var (status, body) = await ProviderRetries.SendAsync(http, build, Provider, path, options.MaxAttempts, options.RetryDelay,
            retry: s => s >= 500 || s == 409, describe: (s, b) => new PayPalResponse(s, b).Describe(), ct);
        return new PayPalResponse(status, body);
    }

    private static ProviderErrorException Failed(string what, PayPalResponse response) =>
        new(Provider, $"{what} failed: {response.Describe()}", response.Issue);
}
