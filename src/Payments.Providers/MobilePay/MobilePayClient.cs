using System.Net.Http.Headers;
using System.Net.Http.Json;
using Payments.Core.Providers;
using Payments.Providers.Common;

namespace Payments.Providers.MobilePay;

/// <summary>One answer from Vipps: the status and the raw body, read as the caller needs.</summary>
public sealed record MobilePayResponse(int Status, byte[] Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public T? As<T>() where T : class => MobilePayJson.Read<T>(Body);

    /// <summary>The problem's title and detail, as Vipps explains a refusal.</summary>
    public string Describe() =>
        As<MobilePayProblem>() is { } p && (p.Title ?? p.Detail) is not null
            ? $"HTTP {Status} {p.Title}{(p.Detail is null ? "" : $": {p.Detail}")}{(p.TraceId is null ? "" : $" (traceId {p.TraceId})")}"
            : $"HTTP {Status} (no problem body)";
}

/// <summary>
/// Typed HttpClient for Vipps MobilePay: the access token (<c>POST /accesstoken/get</c>, cached in
/// <see cref="MobilePayAccessTokens"/>, renewed once on 401), the ePayment API v1 and the Webhooks API v1.
/// Every call carries the subscription key, the merchant serial number and the <c>Vipps-System-*</c>
/// headers; every mutating call an <c>Idempotency-Key</c> derived from our ids. Network errors, 409 and
/// 5xx are retried with jittered backoff; when they persist the outcome is unknown and
/// <see cref="ProviderUnavailableException"/> says so.
/// </summary>
public sealed class MobilePayClient(HttpClient http, MobilePayAccessTokens tokens, MobilePayOptions options)
{
    private const string Provider = MobilePayProvider.ProviderName;
    private const string Payments = "epayment/v1/payments";

    public Task<MobilePayResponse> CreatePaymentAsync(MobilePayCreatePayment payment, string idempotencyKey, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, Payments, () => JsonContent.Create(payment, options: MobilePayJson.Options), idempotencyKey, ct);

    /// <summary>The payment, or null when Vipps does not know the reference (404).</summary>
    public async Task<MobilePayPayment?> GetPaymentAsync(string reference, CancellationToken ct)
    {
        var response = await SendAsync(HttpMethod.Get, Path(reference), null, null, ct);
        if (response.Status == 404) return null;
        return response.IsSuccess && response.As<MobilePayPayment>() is { } payment ? payment : throw Failed($"reading payment {reference}", response);
    }

    public Task<MobilePayResponse> CaptureAsync(string reference, MobilePayAmount amount, string idempotencyKey, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, Path(reference) + "/capture", () => JsonContent.Create(new MobilePayModification(amount), options: MobilePayJson.Options), idempotencyKey, ct);

    public Task<MobilePayResponse> RefundAsync(string reference, MobilePayAmount amount, string idempotencyKey, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, Path(reference) + "/refund", () => JsonContent.Create(new MobilePayModification(amount), options: MobilePayJson.Options), idempotencyKey, ct);

    /// <summary>Releases what is reserved and not captured (the API takes no body).</summary>
    public Task<MobilePayResponse> CancelAsync(string reference, string idempotencyKey, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, Path(reference) + "/cancel", null, idempotencyKey, ct);

    /// <summary><c>POST /webhooks/v1/webhooks</c>: the answer holds the registration's id and its signing secret (shown only now).</summary>
    public async Task<MobilePayRegisteredWebhook> RegisterWebhookAsync(MobilePayRegisterWebhook webhook, CancellationToken ct)
    {
        var response = await SendAsync(HttpMethod.Post, "webhooks/v1/webhooks", () => JsonContent.Create(webhook, options: MobilePayJson.Options), null, ct);
        return response.IsSuccess && response.As<MobilePayRegisteredWebhook>() is { Id.Length: > 0, Secret.Length: > 0 } registered
            ? registered
            : throw Failed($"registering the webhook {webhook.Url}", response);
    }

    private static string Path(string reference) => $"{Payments}/{Uri.EscapeDataString(reference)}";

    private async Task<MobilePayResponse> SendAsync(HttpMethod method, string path, Func<HttpContent>? content, string? idempotencyKey, CancellationToken ct)
    {
        HttpRequestMessage Build(string token)
        {
            var request = Request(method, path, content?.Invoke());
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", MobilePayReference.IdempotencyKey(idempotencyKey));
            return request;
        }

        var token = await tokens.GetAsync(FetchTokenAsync, ct);
        var response = await SendWithRetriesAsync(() => Build(token), path, ct);
        if (response.Status != 401) return response;

        // Expired early or revoked: one fresh token, one more try. A second 401 is not going to heal.
        tokens.Invalidate(token);
        token = await tokens.GetAsync(FetchTokenAsync, ct);
        response = await SendWithRetriesAsync(() => Build(token), path, ct);
        return response.Status != 401 ? response : throw Failed("authenticating (a fresh token was refused too)", response);
    }

    /// <summary>What every call carries, the token request included.</summary>
    private HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation("Ocp-Apim-Subscription-Key", options.SubscriptionKey);
        request.Headers.TryAddWithoutValidation("Merchant-Serial-Number", options.MerchantSerialNumber);
        request.Headers.TryAddWithoutValidation("Vipps-System-Name", options.SystemName);
        request.Headers.TryAddWithoutValidation("Vipps-System-Version", options.SystemVersion);
        request.Headers.TryAddWithoutValidation("Vipps-System-Plugin-Name", options.PluginName);
        request.Headers.TryAddWithoutValidation("Vipps-System-Plugin-Version", options.PluginVersion);
        return request;
    }

    private async Task<(string, TimeSpan)> FetchTokenAsync(CancellationToken ct)
    {
        const string path = "accesstoken/get";
        var response = await SendWithRetriesAsync(() =>
        {
            var request = Request(HttpMethod.Post, path, new ByteArrayContent([]));
            request.Headers.TryAddWithoutValidation("client_id", options.ClientId);
            request.Headers.TryAddWithoutValidation("client_secret", options.ClientSecret);
            return request;
        }, path, ct);
        if (response.IsSuccess && response.As<MobilePayToken>() is { AccessToken.Length: > 0 } token)
            return (token.AccessToken!, TimeSpan.FromSeconds(token.ExpiresIn is > 0 and var seconds ? seconds : 60));
        throw Failed("getting an access token with MOBILEPAY_CLIENT_ID, MOBILEPAY_CLIENT_SECRET and MOBILEPAY_SUBSCRIPTION_KEY", response);
    }

    /// <summary>Network errors, 409 and 5xx are tried again (<see cref="ProviderRetries"/>); any other answer is returned.</summary>
    private async Task<MobilePayResponse> SendWithRetriesAsync(Func<HttpRequestMessage> build, string path, CancellationToken ct)
    {
        var (status, body) = await ProviderRetries.SendAsync(http, build, Provider, path, options.MaxAttempts, options.RetryDelay,
            retry: s => s >= 500 || s == 409, describe: (s, b) => new MobilePayResponse(s, b).Describe(), ct);
        return new MobilePayResponse(status, body);
    }

    internal static ProviderErrorException Failed(string what, MobilePayResponse response) =>
        new(Provider, $"{what} failed: {response.Describe()}", response.As<MobilePayProblem>()?.Title);
}
