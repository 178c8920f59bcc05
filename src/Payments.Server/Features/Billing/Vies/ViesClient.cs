using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Payments.Core.Billing;

namespace Payments.Server.Features.Billing.Vies;

/// <summary>
/// The European Commission's VIES REST service: <c>POST {VIES_API_BASE}/check-vat-number</c> with
/// <c>{"countryCode":"DE","vatNumber":"123456789","requesterMemberStateCode":"DK","requesterNumber":"12345678"}</c>
/// (the requester, from <c>MERCHANT_VAT_ID</c>, is what makes VIES answer with a consultation number,
/// <c>requestIdentifier</c>). It never throws for VIES being unreachable or refusing: that is an answer
/// (<see cref="ViesVerdict.Unavailable"/>) like VIES's own <c>MS_UNAVAILABLE</c>, and the number stays unverified.
/// </summary>
public sealed class ViesClient(IHttpClientFactory httpClients, BillingOptions options, ILogger<ViesClient> log)
{
    public const string HttpClientName = "vies";

    public async Task<ViesAnswer> CheckAsync(VatNumber vat, CancellationToken ct)
    {
        var request = new CheckRequest(vat.Prefix, vat.Number, options.Requester?.Prefix, options.Requester?.Number);
        var http = httpClients.CreateClient(HttpClientName);
        http.Timeout = options.ViesTimeout;
        try
        {
            using var response = await http.PostAsJsonAsync(new Uri(options.ViesApiBase, "check-vat-number"), request, Wire, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            var answer = Read(body) ?? ViesAnswer.Unavailable($"HTTP_{(int)response.StatusCode}");
            if (answer.Error == "INVALID_REQUESTER_INFO")
                log.LogError("VIES refused our requester (MERCHANT_VAT_ID {Requester}): no VAT number can be verified until it is fixed",
                    options.Requester);
            return answer;
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            log.LogWarning("VIES did not answer about {Vat}: {Error}", vat, e.Message);
            return ViesAnswer.Unavailable(e is OperationCanceledException ? "CLIENT_TIMEOUT" : "NETWORK_ERROR");
        }
    }

    /// <summary>Both of VIES's shapes (a check answer, or <c>actionSucceed</c> with <c>errorWrappers</c>), whatever the HTTP status; null when it is neither.</summary>
    internal static ViesAnswer? Read(string body)
    {
        CheckResponse? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<CheckResponse>(body, Wire);
        }
        catch (JsonException)
        {
            return null;
        }
        if (parsed is null || (parsed.Valid is null && parsed.UserError is null && parsed.ErrorWrappers is null)) return null;
        var errors = parsed.ErrorWrappers?.Select(w => w.Error ?? "").ToList() ?? [];
        if (parsed.ActionSucceed == false && errors.All(string.IsNullOrWhiteSpace)) errors.Add("SERVICE_UNAVAILABLE");
        return ViesAnswer.Read(parsed.Valid, parsed.UserError, errors, parsed.RequestIdentifier);
    }

    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private sealed record CheckRequest(string CountryCode, string VatNumber, string? RequesterMemberStateCode, string? RequesterNumber);

    private sealed record CheckResponse(
        bool? Valid, string? UserError, string? RequestIdentifier, bool? ActionSucceed, IReadOnlyList<ErrorWrapper>? ErrorWrappers);

    private sealed record ErrorWrapper(string? Error, string? Message);
}
