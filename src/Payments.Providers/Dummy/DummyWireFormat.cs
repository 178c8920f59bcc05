using System.Text.Json;
using System.Text.Json.Serialization;
using Payments.Core.Providers;

namespace Payments.Providers.Dummy;

/// <summary>
/// The dummy's webhook body, which other tools (load generators, curl) also produce:
/// <c>{"id":"evt_…","type":"payment.succeeded","payment_id":"dm_…","amount":1900,"currency":"EUR"}</c>.
/// </summary>
public sealed record DummyEventBody(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("payment_id")] string? PaymentId,
    [property: JsonPropertyName("amount")] long? Amount,
    [property: JsonPropertyName("currency")] string? Currency)
{
    // Billing events (DummyProvider.Subscriptions.cs) name their records instead of a payment; left out when null,
    // so a payment event's bytes are what they always were.
    [JsonPropertyName("subscription_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SubscriptionId { get; init; }

    [JsonPropertyName("invoice_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InvoiceId { get; init; }

    [JsonPropertyName("customer_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CustomerId { get; init; }
}

public static class DummyWireFormat
{
    public const string SignatureHeader = "Dummy-Signature";
    public const string IdPrefix = "dm_";

    public static string TypeFor(ProviderPaymentStatus outcome) => outcome switch
    {
        ProviderPaymentStatus.Succeeded => "payment.succeeded",
        ProviderPaymentStatus.Declined => "payment.failed",
        ProviderPaymentStatus.Canceled => "payment.canceled",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "The dummy only sends succeeded, failed and canceled."),
    };

    /// <summary>
    /// The record a billing event is about (<c>customer.subscription.*</c>, <c>invoice.*</c>, <c>customer.*</c>, as Stripe
    /// names them); null for a payment's event.
    /// </summary>
    public static WebhookRecordType? RecordTypeOf(string? type) => type switch
    {
        not null when type.StartsWith("customer.subscription.", StringComparison.Ordinal) => WebhookRecordType.Subscription,
        not null when type.StartsWith("invoice.", StringComparison.Ordinal) => WebhookRecordType.Invoice,
        not null when type.StartsWith("customer.", StringComparison.Ordinal) => WebhookRecordType.Customer,
        _ => null,
    };

    /// <summary>Every dummy event type and what it means; anything else is recorded as informational.</summary>
    public static ProviderEventKind KindOf(string? type) => type switch
    {
        "payment.succeeded" => ProviderEventKind.PaymentSucceeded,
        "payment.failed" => ProviderEventKind.PaymentFailed,
        "payment.canceled" => ProviderEventKind.PaymentCanceled,
        _ => ProviderEventKind.Informational,
    };

    public static byte[] Serialize(DummyEventBody body) => JsonSerializer.SerializeToUtf8Bytes(body);

    /// <summary>A member named twice ("amount":1900,…,"amount":1) is malformed, not read as the last one.</summary>
    private static readonly JsonSerializerOptions ReadOptions = new() { AllowDuplicateProperties = false };

    public static DummyEventBody? Deserialize(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonSerializer.Deserialize<DummyEventBody>(body, ReadOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
