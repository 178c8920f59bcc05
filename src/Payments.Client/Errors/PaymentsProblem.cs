using System.Globalization;
using System.Text.Json;

namespace Payments.Client;

/// <summary>
/// The stable problem codes of the service (docs/errors.md). Unknown codes from a newer service read as
/// <see cref="Unknown"/>; <see cref="PaymentsProblem.CodeName"/> keeps the text.
/// </summary>
public enum PaymentsErrorCode
{
    Unknown,
    BadRequest,
    SignatureInvalid,
    MalformedEvent,
    PayloadTooLarge,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Conflict,
    AmountMismatch,
    VendorNotReady,
    UnsupportedMediaType,
    Validation,
    IdempotencyKeyReused,
    RateLimited,
    InternalError,
    ProviderError,
    ProviderUnavailable,
    DependencyMissing,
}

/// <summary>
/// An RFC 9457 problem document as the service writes it: <c>type</c>, <c>title</c>, <c>status</c>,
/// <c>detail</c>, <c>instance</c>, <c>code</c>, <c>trace_id</c>, and members of the error (<c>payment_id</c>, …).
/// </summary>
public sealed class PaymentsProblem
{
    private static readonly Dictionary<string, PaymentsErrorCode> Codes =
        Enum.GetValues<PaymentsErrorCode>().Where(c => c != PaymentsErrorCode.Unknown)
            .ToDictionary(c => JsonNamingPolicy.SnakeCaseLower.ConvertName(c.ToString()), StringComparer.Ordinal);

    public string? Type { get; init; }
    public string? Title { get; init; }
    public int Status { get; init; }
    public string? Detail { get; init; }
    public string? Instance { get; init; }

    /// <summary>The code as sent, e.g. <c>amount_mismatch</c>.</summary>
    public string? CodeName { get; init; }

    public PaymentsErrorCode Code => CodeName is not null && Codes.TryGetValue(CodeName, out var code) ? code : PaymentsErrorCode.Unknown;

    public string? TraceId { get; init; }

    /// <summary>Every other member, by its name as sent (<c>payment_id</c>, <c>retry_after_seconds</c>, <c>reason</c>, …).</summary>
    public IReadOnlyDictionary<string, JsonElement> Extensions { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>A string member, or null when absent or not a string.</summary>
    public string? GetString(string name) =>
        Extensions.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A whole-number member, or null when absent or not a number.</summary>
    public long? GetInt64(string name) =>
        Extensions.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

    /// <summary>Reads a problem document; null when <paramref name="body"/> is not one (a proxy's HTML page).</summary>
    public static PaymentsProblem? Parse(string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) return null;
            string? type = null, title = null, detail = null, instance = null, code = null, trace = null;
            var status = 0;
            var extensions = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var member in document.RootElement.EnumerateObject())
            {
                var value = member.Value;
                var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                switch (member.Name)
                {
                    case "type": type = text; break;
                    case "title": title = text; break;
                    case "detail": detail = text; break;
                    case "instance": instance = text; break;
                    case "code": code = text; break;
                    case "trace_id": trace = text; break;
                    case "status" when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var s): status = s; break;
                    default: extensions[member.Name] = value.Clone(); break;
                }
            }
            return new PaymentsProblem
            {
                Type = type, Title = title, Status = status, Detail = detail, Instance = instance, CodeName = code, TraceId = trace,
                Extensions = extensions,
            };
        }
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Status} {CodeName ?? "error"}: {Detail ?? Title}");
}
