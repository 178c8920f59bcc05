using System.Text.Json;

namespace Payments.Providers.Stripe;

// The webhook payloads StripeEvents reads, in the shapes of StripeOptions.ApiVersion (2026-10-28.endive),
// and only the fields it reads: every one of them is still there in that version (checked against
// Stripe.net 53.1.0's own models). API calls use the SDK's objects; webhooks stay on these small
// records because the SDK's ConstructEvent costs about ten times as much per event and throws when
// an event's version differs from the SDK's. Stripe adds fields within a version, so unknown ones are
// ignored; amounts are integers in Stripe's unit for the currency (see StripeAmounts). Inside an
// event nothing is expanded: related objects are ids.

/// <summary>An event envelope; <c>data.object</c> is read according to <see cref="Type"/>.</summary>
internal sealed record EventEnvelope
{
    public string? Id { get; init; }
    public string? Type { get; init; }
    public EventData? Data { get; init; }
    /// <summary>Unix seconds when Stripe created the event (events may arrive out of order).</summary>
    public long? Created { get; init; }
    /// <summary>The connected account an event is about; only events to a Connect endpoint have it.</summary>
    public string? Account { get; init; }
}

internal sealed record EventData(JsonElement Object);

/// <summary>A Checkout Session (<c>cs_…</c>) in <c>checkout.session.*</c> events.</summary>
internal sealed record EventSession
{
    public string Id { get; init; } = "";
    /// <summary>paid, unpaid or no_payment_required.</summary>
    public string? PaymentStatus { get; init; }
    public long? AmountTotal { get; init; }
    public string? Currency { get; init; }
    public string? ClientReferenceId { get; init; }
    public Dictionary<string, string>? Metadata { get; init; }
    /// <summary>The PaymentIntent's id; null until the customer submits payment.</summary>
    public string? PaymentIntent { get; init; }

    /// <summary>payment, setup or subscription.</summary>
    public string? Mode { get; init; }

    /// <summary>The customer's id (cus_…), when the session has one.</summary>
    public string? Customer { get; init; }
}

/// <summary>A PaymentIntent (<c>pi_…</c>) in <c>payment_intent.*</c> events.</summary>
internal sealed record EventIntent
{
    public string Id { get; init; } = "";
    public long? AmountReceived { get; init; }
    public string? Currency { get; init; }
    public Dictionary<string, string>? Metadata { get; init; }
    public EventPaymentError? LastPaymentError { get; init; }
    public string? CancellationReason { get; init; }
}

/// <summary>A PaymentIntent's <c>last_payment_error</c>.</summary>
internal sealed record EventPaymentError(string? Type, string? Code, string? DeclineCode, string? Message);

/// <summary>A Charge (<c>ch_…</c>): what <c>charge.refunded</c> carries.</summary>
internal sealed record EventCharge
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

internal static class StripeJson
{
    /// <summary>
    /// Stripe's JSON is snake_case; unknown members are ignored. Numbers are numbers: the web defaults
    /// would read <c>"amount_refunded":"500"</c> as 500, and Stripe never quotes an amount, so a signed
    /// body that does is malformed rather than taken at its word.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
        // A signed body naming a member twice is ambiguous (which amount did Stripe mean?): malformed, not "the last one".
        AllowDuplicateProperties = false,
    };

    public static T? Read<T>(JsonElement element) => element.Deserialize<T>(Options);
}
