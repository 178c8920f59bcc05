using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Providers.Stripe;

// Only the fields this adapter reads. Stripe adds fields within a pinned version, so unknown ones
// are ignored; every amount is an integer in Stripe's unit for the currency (see StripeAmounts).

/// <summary>A Checkout Session (<c>cs_…</c>).</summary>
public sealed record StripeCheckoutSession
{
    public string Id { get; init; } = "";
    /// <summary>open, complete or expired.</summary>
    public string? Status { get; init; }
    /// <summary>paid, unpaid or no_payment_required.</summary>
    public string? PaymentStatus { get; init; }
    public long? AmountTotal { get; init; }
    public string? Currency { get; init; }
    public string? ClientReferenceId { get; init; }
    public Dictionary<string, string>? Metadata { get; init; }
    public string? Url { get; init; }
    /// <summary>Null until the customer submits payment; an object when expanded.</summary>
    public Expandable<StripePaymentIntent>? PaymentIntent { get; init; }
}

/// <summary>A PaymentIntent (<c>pi_…</c>).</summary>
public sealed record StripePaymentIntent
{
    public string Id { get; init; } = "";
    /// <summary>requires_payment_method, requires_confirmation, requires_action, processing, requires_capture, canceled, succeeded.</summary>
    public string? Status { get; init; }
    public long? Amount { get; init; }
    public long? AmountReceived { get; init; }
    public string? Currency { get; init; }
    public string? ClientSecret { get; init; }
    public Dictionary<string, string>? Metadata { get; init; }
    public StripeError? LastPaymentError { get; init; }
    public string? CancellationReason { get; init; }
    public Expandable<StripeCharge>? LatestCharge { get; init; }
}

/// <summary>A Charge (<c>ch_…</c>): what <c>charge.refunded</c> carries.</summary>
public sealed record StripeCharge
{
    public string Id { get; init; } = "";
    public long? Amount { get; init; }
    public long? AmountCaptured { get; init; }
    /// <summary>Everything refunded so far on this charge (cumulative).</summary>
    public long? AmountRefunded { get; init; }
    public string? Currency { get; init; }
    public string? PaymentIntent { get; init; }
    public Dictionary<string, string>? Metadata { get; init; }
}

/// <summary>A Refund (<c>re_…</c>).</summary>
public sealed record StripeRefund
{
    public string Id { get; init; } = "";
    /// <summary>pending, requires_action, succeeded, failed or canceled.</summary>
    public string? Status { get; init; }
    public string? FailureReason { get; init; }
}

/// <summary>Stripe's error object, both in <c>{"error":{…}}</c> answers and as <c>last_payment_error</c>.</summary>
public sealed record StripeError
{
    /// <summary>api_error, card_error, idempotency_error, invalid_request_error.</summary>
    public string? Type { get; init; }
    public string? Code { get; init; }
    public string? DeclineCode { get; init; }
    public string? Message { get; init; }
    /// <summary>On card errors from PaymentIntent calls: the intent the declined attempt belongs to.</summary>
    public StripePaymentIntent? PaymentIntent { get; init; }

    public override string ToString() =>
        string.Join(" ", new[] { Type, Code, DeclineCode }.Where(s => !string.IsNullOrEmpty(s))) + (Message is null ? "" : $": {Message}");
}

public sealed record StripeErrorEnvelope(StripeError? Error);

/// <summary>A webhook event envelope; <c>data.object</c> is read according to <see cref="Type"/>.</summary>
public sealed record StripeEvent
{
    public string? Id { get; init; }
    public string? Type { get; init; }
    public StripeEventData? Data { get; init; }
}

public sealed record StripeEventData(JsonElement Object);

/// <summary>
/// An expandable field: an id string, or the whole object when the request asked for
/// <c>expand[]</c>. Either way <see cref="Id"/> is set.
/// </summary>
[JsonConverter(typeof(ExpandableConverterFactory))]
public sealed record Expandable<T>(string Id, T? Value) where T : class;

internal sealed class ExpandableConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Expandable<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(ExpandableConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class ExpandableConverter<T> : JsonConverter<Expandable<T>> where T : class
    {
        public override Expandable<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String) return new Expandable<T>(reader.GetString()!, null);
            using var doc = JsonDocument.ParseValue(ref reader);
            var id = doc.RootElement.TryGetProperty("id", out var idProperty) ? idProperty.GetString() : null;
            if (id is null) throw new JsonException($"An expanded {typeof(T).Name} has no id.");
            return new Expandable<T>(id, doc.RootElement.Deserialize<T>(options));
        }

        public override void Write(Utf8JsonWriter writer, Expandable<T> value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.Id);
    }
}

public static class StripeJson
{
    /// <summary>Stripe's JSON is snake_case; unknown members are ignored.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static T? Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);

    public static T? Read<T>(JsonElement element) => element.Deserialize<T>(Options);
}
