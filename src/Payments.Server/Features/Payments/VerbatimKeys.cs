using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Server.Features.Payments;

/// <summary>
/// The host's metadata is written exactly as it was sent: the API's snake_case policy for dictionary
/// keys must not turn a host's <c>orderId</c> into <c>order_id</c>, or the host would not find its own key.
/// </summary>
public sealed class VerbatimKeys : JsonConverter<IReadOnlyDictionary<string, string>>
{
    private static readonly JsonSerializerOptions Plain = new();

    public override IReadOnlyDictionary<string, string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(ref reader, Plain);

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, text) in value) writer.WriteString(key, text);
        writer.WriteEndObject();
    }

    public static string Serialize(IReadOnlyDictionary<string, string> metadata) => JsonSerializer.Serialize(metadata, Plain);

    public static IReadOnlyDictionary<string, string>? Parse(string? stored) =>
        stored is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(stored, Plain);
}
