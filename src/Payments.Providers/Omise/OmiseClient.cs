using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Payments.Core.Providers;
using Payments.Providers.Common;

namespace Payments.Providers.Omise;

/// <summary>One answer from Omise: the status and the raw body, read as the caller needs.</summary>
public sealed record OmiseResponse(int Status, byte[] Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public T? As<T>() where T : class => OmiseJson.Read<T>(Body);

    /// <summary>Omise's error code (<c>not_found</c>, <c>invalid_charge</c>, …), when the body is an error.</summary>
    public string? Code => As<OmiseError>() is { Object: "error" } e ? e.Code : null;

    public string Describe() =>
        As<OmiseError>() is { Object: "error" } e ? $"HTTP {Status} {e.Code}: {e.Message}" : $"HTTP {Status} (no error body)";
}

/// <summary>
/// Typed HttpClient for Omise's REST API: HTTP Basic with the secret key as user name and an empty password,
/// <c>Omise-Version</c> pinned, JSON both ways.
/// <para>
/// Reads are retried on network errors, timeouts and 5xx with jittered backoff. Creates and refunds are
/// sent once: they carry an <c>Idempotency-Key</c> derived from our ids, but we found no Omise
/// documentation that promises to honour it, so a lost answer is never retried blindly: the outcome is
/// unknown (<see cref="ProviderUnavailableException"/>), a lost charge was never shown to the customer,
/// and a lost refund stays pending until the charge's <c>refunded_amount</c> (or our refund id in a
/// refund's metadata, see <see cref="OmiseProvider.RefundAsync"/>) says what happened.
/// </para>
/// </summary>
public sealed class OmiseClient(HttpClient http, OmiseOptions options)
{
    private const string Provider = OmiseProvider.ProviderName;

    public async Task<OmiseCharge> CreateChargeAsync(OmiseCreateCharge charge, string idempotencyKey, CancellationToken ct)
    {
        var response = await SendOnceAsync(HttpMethod.Post, "charges", JsonContent.Create(charge, options: OmiseJson.Options), idempotencyKey, ct);
        return response.IsSuccess && response.As<OmiseCharge>() is { Object: "charge", Id: not null } created
            ? created
            : throw Failed("creating the charge", response);
    }

    /// <summary>The charge, or null when Omise does not know it (404).</summary>
    public async Task<OmiseCharge?> GetChargeAsync(string chargeId, CancellationToken ct)
    {
        var response = await ReadAsync($"charges/{Uri.EscapeDataString(chargeId)}", ct);
        if (response.Status == 404) return null;
        return response.IsSuccess && response.As<OmiseCharge>() is { Object: "charge" } charge ? charge : throw Failed("reading the charge", response);
    }

    /// <summary>The charge's refunds, newest first (one page of 100: a charge has a handful).</summary>
    public async Task<IReadOnlyList<OmiseRefund>> ListRefundsAsync(string chargeId, CancellationToken ct)
    {
        var response = await ReadAsync($"charges/{Uri.EscapeDataString(chargeId)}/refunds?limit=100&order=reverse_chronological", ct);
        return response.IsSuccess && response.As<OmiseList<OmiseRefund>>() is { Object: "list" } list
            ? list.Data ?? []
            : throw Failed("listing the charge's refunds", response);
    }

    /// <summary>Refunds part of a charge; the caller reads the answer (a 400 is Omise saying no, not an outage).</summary>
    public Task<OmiseResponse> CreateRefundAsync(string chargeId, OmiseCreateRefund refund, string idempotencyKey, CancellationToken ct) =>
        SendOnceAsync(HttpMethod.Post, $"charges/{Uri.EscapeDataString(chargeId)}/refunds",
            JsonContent.Create(refund, options: OmiseJson.Options), idempotencyKey, ct);

    private HttpRequestMessage Build(HttpMethod method, string path, HttpContent? content, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(options.SecretKey + ":")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation("Omise-Version", OmiseOptions.ApiVersion);
        if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        return request;
    }

    private async Task<OmiseResponse> SendOnceAsync(HttpMethod method, string path, HttpContent content, string idempotencyKey, CancellationToken ct)
    {
        try
        {
            using var request = Build(method, path, content, idempotencyKey);
            var response = await ReceiveAsync(request, ct);
            return response.Status >= 500
                ? throw new ProviderUnavailableException(Provider, $"{path}: {response.Describe()}; the outcome is unknown")
                : Authenticated(response);
        }
        catch (Exception e) when (ProviderRetries.Unreachable(e, ct))
        {
            throw new ProviderUnavailableException(Provider, $"{path}: {ProviderRetries.Why(http, e)}; the outcome is unknown", e);
        }
    }

    /// <summary>A read: network errors, timeouts and 5xx are tried again (<see cref="ProviderRetries"/>).</summary>
    private async Task<OmiseResponse> ReadAsync(string path, CancellationToken ct)
    {
        var (status, body) = await ProviderRetries.SendAsync(http, () => Build(HttpMethod.Get, path, null, null), Provider, path,
            options.MaxAttempts, options.RetryDelay, retry: s => s >= 500, describe: (s, b) => new OmiseResponse(s, b).Describe(), ct);
        return Authenticated(new OmiseResponse(status, body));
    }

    private async Task<OmiseResponse> ReceiveAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var response = await http.SendAsync(request, ct);
        return new OmiseResponse((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(ct));
    }

    /// <summary>A 401 is configuration, never a retry: the key is wrong or revoked.</summary>
    private static OmiseResponse Authenticated(OmiseResponse response) =>
        response.Status == 401 ? throw Failed($"authenticating with {OmiseOptions.SecretKeyVariable}", response) : response;

    private static ProviderErrorException Failed(string what, OmiseResponse response) =>
        new(Provider, $"{what} failed: {response.Describe()}", response.Code);
}
