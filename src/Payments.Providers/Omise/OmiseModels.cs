using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Providers.Omise;

// Omise's wire format (API version 2019-05-29, see OmiseOptions.ApiVersion), only the fields we send or
// read. Omise takes JSON bodies (its .NET SDK sends application/json) and answers JSON; property names
// are snake_case through OmiseJson.Options. Everything Omise sends is nullable: a missing field is a
// decision in the mapper, not a crash in the deserializer. Shapes checked against omise-dotnet 4.3
// (Models.txt, testdata/objects/*.json).

/// <summary><c>POST /charges</c>: amount in the currency's smallest unit, our id in metadata, an offsite source.</summary>
public sealed record OmiseCreateCharge(
    long Amount,
    string Currency,
    string? Description,
    string ReturnUri,
    IReadOnlyDictionary<string, string> Metadata,
    OmiseSourceRequest Source,
    DateTimeOffset? ExpiresAt);

public sealed record OmiseSourceRequest(string Type);

/// <summary><c>POST /charges/{id}/refunds</c>.</summary>
public sealed record OmiseCreateRefund(long Amount, IReadOnlyDictionary<string, string> Metadata);

/// <summary>A charge: its status, whether it is paid, for how much, and what has been refunded of it.</summary>
public sealed record OmiseCharge(
    string? Object,
    string? Id,
    long? Amount,
    string? Currency,
    string? Status,
    bool? Paid,
    long? RefundedAmount,
    string? FailureCode,
    string? FailureMessage,
    string? AuthorizeUri,
    IReadOnlyDictionary<string, JsonElement>? Metadata,
    OmiseSource? Source);

public sealed record OmiseSource(string? Id, string? Type, OmiseScannableCode? ScannableCode);

/// <summary>A QR code Omise renders for offline sources (PromptPay): the customer scans its image.</summary>
public sealed record OmiseScannableCode(OmiseDocument? Image);

public sealed record OmiseDocument(string? DownloadUri);

/// <summary>A refund. <see cref="Charge"/> is the charge id, or the charge itself when expanded.</summary>
public sealed record OmiseRefund(
    string? Object,
    string? Id,
    long? Amount,
    string? Currency,
    string? Status,
    JsonElement Charge,
    IReadOnlyDictionary<string, JsonElement>? Metadata);

/// <summary>A page of a list (<c>"object": "list"</c>).</summary>
public sealed record OmiseList<T>(string? Object, IReadOnlyList<T>? Data, long? Total);

/// <summary>An error body: <c>{"object":"error","code":"not_found","message":"…"}</c>.</summary>
public sealed record OmiseError(string? Object, string? Code, string? Message);

/// <summary>A webhook delivery: an event whose <see cref="Data"/> is the object it is about (charge, refund, …).</summary>
public sealed record OmiseEvent(string? Object, string? Id, string? Key, JsonElement Data);

public static class OmiseJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Parses Omise JSON; null when it is not JSON of that shape (never throws for bad input).</summary>
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

    /// <summary>A string metadata value, or null when absent or not a string.</summary>
    public static string? Text(IReadOnlyDictionary<string, JsonElement>? metadata, string key) =>
        metadata is not null && metadata.TryGetValue(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>An id that is either the string itself or an expanded object's <c>id</c>.</summary>
    public static string? IdOf(JsonElement reference) => reference.ValueKind switch
    {
        JsonValueKind.String => reference.GetString(),
        JsonValueKind.Object when reference.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String => id.GetString(),
        _ => null,
    };
}
