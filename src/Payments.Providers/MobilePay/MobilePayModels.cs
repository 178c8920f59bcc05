using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Providers.MobilePay;

// The ePayment API v1, Access Token API and Webhooks API v1 wire formats, only the fields we send or
// read. JSON is camelCase (MobilePayJson.Options); the access token answer is snake_case and writes its
// numbers as strings ("expires_in": "3600"). Everything Vipps sends is nullable: a missing field is a
// decision in the mapper, not a crash in the deserializer.

/// <summary>Minor units of NOK, DKK or EUR ("value": 49900 is 499.00).</summary>
public sealed record MobilePayAmount(string? Currency, long? Value);

public sealed record MobilePayToken(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] long? ExpiresIn,
    [property: JsonPropertyName("token_type")] string? TokenType);

public sealed record MobilePayPaymentMethod(string Type);

public sealed record MobilePayCreatePayment(
    MobilePayAmount Amount,
    MobilePayPaymentMethod PaymentMethod,
    string Reference,
    string UserFlow,
    string ReturnUrl,
    string PaymentDescription,
    IReadOnlyDictionary<string, string>? Metadata = null);

public sealed record MobilePayCreated(string? RedirectUrl, string? Reference);

/// <summary>What Vipps has authorized, captured, refunded and cancelled so far (cumulative).</summary>
public sealed record MobilePayAggregate(
    MobilePayAmount? AuthorizedAmount, MobilePayAmount? CapturedAmount, MobilePayAmount? RefundedAmount, MobilePayAmount? CancelledAmount);

/// <summary>GET /epayment/v1/payments/{reference}, and the answer to capture, refund and cancel (which also carry the state and aggregate).</summary>
public sealed record MobilePayPayment(
    string? Reference, string? State, MobilePayAmount? Amount, MobilePayAggregate? Aggregate, string? PspReference, string? RedirectUrl);

public sealed record MobilePayModification(MobilePayAmount ModificationAmount);

/// <summary>RFC 7807 problem, as Vipps answers errors.</summary>
public sealed record MobilePayProblem(string? Type, string? Title, string? Detail, int? Status, string? TraceId);

public sealed record MobilePayRegisterWebhook(string Url, IReadOnlyList<string> Events);

public sealed record MobilePayRegisteredWebhook(string? Id, string? Secret);

public sealed record MobilePayWebhookList(IReadOnlyList<MobilePayListedWebhook>? Webhooks);

public sealed record MobilePayListedWebhook(string? Id, string? Url, IReadOnlyList<string>? Events);

/// <summary>One ePayment webhook delivery (events <c>epayments.payment.*.v1</c>): <see cref="Name"/> says which.</summary>
public sealed record MobilePayWebhookEvent(
    string? Msn, string? Reference, string? PspReference, string? Name, MobilePayAmount? Amount,
    DateTimeOffset? Timestamp, string? IdempotencyKey, bool? Success);

public static class MobilePayJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // The access token answer writes its numbers as strings.
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    /// <summary>Parses Vipps JSON; null when it is not JSON of that shape (never throws for bad input).</summary>
    public static T? Read<T>(ReadOnlySpan<byte> json) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
