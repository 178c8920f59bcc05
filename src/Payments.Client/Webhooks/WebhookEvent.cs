using System.Text.Json;

namespace Payments.Client;

/// <summary>
/// One delivery from the service: <c>{"id":"evt_…","type":"payment.succeeded","created":unix,"data":{"object":{…}}}</c>.
/// The same event may arrive more than once (at least once, retried): deduplicate on <see cref="Id"/>.
/// </summary>
public sealed class WebhookEvent
{
    private WebhookEvent(string id, string type, DateTimeOffset created, JsonElement obj)
    {
        Id = id;
        Type = type;
        Created = created;
        Object = obj;
    }

    /// <summary><c>evt_…</c>, the same on every attempt (also the <c>Payments-Event-Id</c> header).</summary>
    public string Id { get; }

    /// <summary>One of <see cref="WebhookEventTypes"/> (or a newer type this client does not know yet).</summary>
    public string Type { get; }

    public DateTimeOffset Created { get; }

    /// <summary>The resource at that moment (<c>data.object</c>), as JSON.</summary>
    public JsonElement Object { get; }

    /// <summary>Reads a delivery's body. Verify its signature first (<see cref="ParseVerified"/> does both).</summary>
    /// <exception cref="JsonException">The body is not an event.</exception>
    public static WebhookEvent Parse(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("created", out var created) || !created.TryGetInt64(out var unix)
            || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.Object)
            throw new JsonException("Not a Payments webhook event: expected {id, type, created, data: {object}}.");
        return new WebhookEvent(id.GetString()!, type.GetString()!, DateTimeOffset.FromUnixTimeSeconds(unix), obj.Clone());
    }

    public static WebhookEvent Parse(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Parse(System.Text.Encoding.UTF8.GetBytes(body));
    }

    /// <summary>Verifies the signature over the raw body, then parses it.</summary>
    /// <exception cref="WebhookSignatureException">The signature does not hold; answer 400 and do nothing.</exception>
    public static WebhookEvent ParseVerified(ReadOnlySpan<byte> body, string? signatureHeader, string secret, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        if (WebhookSignature.Check(body, signatureHeader, secret, now, tolerance) is { } why) throw new WebhookSignatureException(why);
        return Parse(body);
    }

    /// <summary>The payment, for <c>payment.*</c> events.</summary>
    public Payment AsPayment() => ObjectAs<Payment>("payment.");

    /// <summary>The refund (with its <see cref="Refund.PaymentId"/>), for <c>refund.*</c> events.</summary>
    public Refund AsRefund() => ObjectAs<Refund>("refund.");

    /// <summary>The movement of a user's credits, for <c>credits.*</c> events.</summary>
    public CreditsChange AsCredits() => ObjectAs<CreditsChange>("credits.");

    /// <summary>The object read as <typeparamref name="T"/> with the API's conventions (for types this client does not model yet).</summary>
    public T ObjectAs<T>() => Object.Deserialize<T>(PaymentsClient.Json) ?? throw new JsonException($"Event {Id} has no object.");

    private T ObjectAs<T>(string prefix) => Type.StartsWith(prefix, StringComparison.Ordinal)
        ? ObjectAs<T>()
        : throw new InvalidOperationException($"Event {Id} is '{Type}', not a {prefix}* event.");
}

/// <summary>The object of <c>credits.granted</c> and <c>credits.taken_back</c>.</summary>
public sealed class CreditsChange
{
    public string UserId { get; init; } = "";

    /// <summary>Credits added or removed: always positive; the event type says which.</summary>
    public long Credits { get; init; }

    /// <summary><c>purchase</c>, <c>referral_bonus</c> or <c>refund</c>.</summary>
    public string Reason { get; init; } = "";

    public string PaymentId { get; init; } = "";
}

/// <summary>The event types an endpoint may subscribe to (or <see cref="All"/>).</summary>
public static class WebhookEventTypes
{
    public const string All = "*";
    public const string PaymentSucceeded = "payment.succeeded";
    public const string PaymentFailed = "payment.failed";
    public const string PaymentCanceled = "payment.canceled";
    public const string PaymentExpired = "payment.expired";
    public const string PaymentConflicted = "payment.conflicted";

    /// <summary>Money went back, in part or whole: the payment's <c>refunded</c> and <c>status</c> say how much.</summary>
    public const string PaymentRefunded = "payment.refunded";

    public const string RefundSucceeded = "refund.succeeded";
    public const string RefundFailed = "refund.failed";
    public const string CreditsGranted = "credits.granted";
    public const string CreditsTakenBack = "credits.taken_back";
}

/// <summary>A delivery whose <c>Payments-Signature</c> does not hold.</summary>
public sealed class WebhookSignatureException(string reason) : Exception($"Webhook signature refused: {reason}.");
