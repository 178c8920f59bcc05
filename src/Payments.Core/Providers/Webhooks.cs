namespace Payments.Core.Providers;

/// <summary>
/// One webhook delivery exactly as received. The raw bytes are what most signatures cover; some
/// providers also sign the method, the path with its query and the host (Vipps MobilePay), so the
/// full request line travels too.
/// </summary>
/// <param name="Method">The HTTP method, upper case ("POST").</param>
/// <param name="Uri">The absolute URI the provider called, with host, path and query as received.</param>
public sealed record WebhookRequest(
    IReadOnlyDictionary<string, string> Headers, ReadOnlyMemory<byte> Body, DateTimeOffset ReceivedAt, string Method = "POST", Uri? Uri = null)
{
    /// <summary>Header value by case-insensitive name, or null.</summary>
    public string? Header(string name)
    {
        if (Headers.TryGetValue(name, out var value)) return value;
        foreach (var (key, v) in Headers)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return v;
        return null;
    }
}

/// <summary>What a webhook means for a payment, in our words.</summary>
public enum ProviderEventKind
{
    PaymentSucceeded,
    PaymentPending,
    PaymentFailed,
    PaymentCanceled,
    PaymentExpired,
    /// <summary>Money went back; <see cref="ProviderEvent.RefundedTotal"/> is the cumulative refunded amount.</summary>
    Refunded,
    /// <summary>The customer approved and the payment now needs a capture call (PayPal orders).</summary>
    CaptureRequired,
    /// <summary>Recorded for the audit trail; changes no payment (unknown or informational types).</summary>
    Informational,
}

/// <summary>
/// The kind of record an event is about. Intake records every event once and hands it to the
/// handler registered for its record type; an event whose type no feature handles yet is recorded
/// and answered 200, never an error (a 4xx would only make the provider retry for days).
/// </summary>
public enum WebhookRecordType
{
    /// <summary>A one-off payment (checkout, intent, order, capture), including its refunded total.</summary>
    Payment,
    /// <summary>One refund of a payment (its own status: pending, succeeded, failed).</summary>
    Refund,
    Subscription,
    Invoice,
    Customer,
    /// <summary>A marketplace vendor's account at the provider (Stripe Connect <c>account.updated</c>).</summary>
    ConnectedAccount,
    /// <summary>Nothing we keep (a product edited in the provider's dashboard, a test ping).</summary>
    Other,
}

public static class WebhookRecordTypeNames
{
    /// <summary>snake_case, as stored on the event row and answered.</summary>
    public static string ToWire(this WebhookRecordType type) => type switch
    {
        WebhookRecordType.Payment => "payment",
        WebhookRecordType.Refund => "refund",
        WebhookRecordType.Subscription => "subscription",
        WebhookRecordType.Invoice => "invoice",
        WebhookRecordType.Customer => "customer",
        WebhookRecordType.ConnectedAccount => "connected_account",
        WebhookRecordType.Other => "other",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}

/// <summary>A verified webhook, normalized.</summary>
/// <param name="EventId">The provider's event id; with the provider name it is the de-duplication key.</param>
/// <param name="EventType">The provider's own type string, e.g. <c>checkout.session.completed</c>.</param>
/// <param name="ProviderPaymentId">The provider id of the payment it concerns, when the event has one.</param>
/// <param name="PaymentId">Our <c>pay_…</c> id when the provider echoes it back (metadata).</param>
/// <param name="Amount">For success events: what was charged, to compare exactly with ours. For refund
/// events, when the provider says what the refunded charge took: it proves the payment too.</param>
/// <param name="RefundedTotal">For refund events: cumulative refunded amount (idempotent under replays).</param>
/// <param name="ProviderReference">Secondary id (Stripe PaymentIntent, PayPal capture) to remember or match on.</param>
public sealed record ProviderEvent(
    string EventId,
    string EventType,
    ProviderEventKind Kind,
    string? ProviderPaymentId = null,
    string? PaymentId = null,
    Money.Money? Amount = null,
    Money.Money? RefundedTotal = null,
    string? ProviderReference = null,
    string? FailureReason = null)
{
    /// <summary>
    /// Which handler receives it: a payment unless the provider says otherwise, which it does when its
    /// event type names another record (e.g. <c>customer.subscription.updated</c>). Informational
    /// payment events still go to the payment handler, which links them to their payment.
    /// </summary>
    public WebhookRecordType RecordType { get; init; } = WebhookRecordType.Payment;

    /// <summary>
    /// True when the provider must be called before the event is recorded (an approval that needs a
    /// capture): the intake then lets the record type's handler prepare it.
    /// </summary>
    public bool NeedsProviderCall => Kind == ProviderEventKind.CaptureRequired;

    /// <summary>The id of the record at the provider (subscription, invoice, account …) for non-payment record types.</summary>
    public string? RecordId { get; init; }

    /// <summary>
    /// The provider's id of the customer a non-payment record belongs to, when the event names one: the events of
    /// one customer are applied one at a time under that customer's lock, which is taken before anything is fetched.
    /// </summary>
    public string? ProviderCustomerId { get; init; }

    /// <summary>
    /// What to store as the event's body instead of the delivery's bytes, when those bytes prove nothing
    /// (PayPal without a webhook id: the resource as PayPal answered it, not what the sender wrote).
    /// Null: the delivery's raw body is stored, as received.
    /// </summary>
    public string? RecordedBody { get; init; }

    /// <summary>For <see cref="WebhookRecordType.ConnectedAccount"/> events: the account as the event reports it.</summary>
    public ConnectedAccountNews? Account { get; init; }
}

/// <summary>How a delivery was proven to come from the provider (or why it was not).</summary>
/// <param name="Method">"hmac-sha256", "paypal-api", "paypal-cert", "refetch" (nothing to verify: the body is only a pointer and the provider is asked).</param>
public sealed record WebhookVerification(bool Verified, string Method, string? Failure)
{
    /// <summary>
    /// False when the delivery is let in without a signature having been checked ("refetch": the body is
    /// only a pointer and the provider is asked). Audit rows then say <c>signature_ok: false</c>.
    /// </summary>
    public bool Signed { get; init; } = true;

    public static WebhookVerification Accepted(string method) => new(true, method, null);

    /// <summary>Let in unsigned: nothing in the body may be believed; the parser must ask the provider.</summary>
    public static WebhookVerification Unsigned(string method) => new(true, method, null) { Signed = false };

    public static WebhookVerification Rejected(string method, string failure) => new(false, method, failure);
}

/// <summary>Outcome of verifying and parsing a delivery.</summary>
public sealed record WebhookResult
{
    private WebhookResult(bool verified, string method, string? failure, ProviderEvent? @event)
    {
        Verified = verified;
        Method = method;
        Failure = failure;
        Event = @event;
    }

    /// <summary>True when the delivery was proven to come from the provider (or needs no proof: see <see cref="WebhookVerification"/>).</summary>
    public bool Verified { get; }

    /// <summary>How it was proven or checked: "hmac-sha256", "paypal-api", "refetch", "paypal-cert".</summary>
    public string Method { get; }

    /// <summary>Why verification or parsing failed; null when accepted.</summary>
    public string? Failure { get; }

    public ProviderEvent? Event { get; }

    /// <summary>False when no signature was checked (see <see cref="WebhookVerification.Signed"/>).</summary>
    public bool Signed { get; init; } = true;

    /// <summary>
    /// Let in, but nothing worth recording: an unsigned delivery of a type the provider cannot be asked
    /// about. Answered 200 (a real delivery must not be retried for days) and stored nowhere.
    /// </summary>
    public bool Ignored { get; private init; }

    /// <summary>Verified, but not an event we can record (<see cref="Errors.ErrorKind.MalformedEvent"/>): the sender's bug, not a forgery.</summary>
    public bool Malformed => Verified && Event is null && !Ignored;

    public static WebhookResult Accepted(ProviderEvent @event, string method) => new(true, method, null, @event);

    /// <summary>
    /// Not accepted. From a verifier: not proven. From a parser (which runs only after verification):
    /// the body is not an event; <see cref="WebhookProviderExtensions.ReceiveAsync"/> makes that <see cref="Malformed"/>.
    /// </summary>
    public static WebhookResult Rejected(string method, string failure) => new(false, method, failure, null);

    /// <summary>Verified, but not an event we can record.</summary>
    public static WebhookResult MalformedEvent(string method, string failure) => new(true, method, failure, null);

    /// <summary>Let in, nothing to record (see <see cref="Ignored"/>); <paramref name="why"/> is for logs and tests.</summary>
    public static WebhookResult Nothing(string method, string why) => new(true, method, why, null) { Ignored = true };
}

/// <summary>How one webhook delivery ended: what the intake answers and records on the event row.</summary>
public enum DeliveryOutcome
{
    /// <summary>The record changed.</summary>
    Applied,
    /// <summary>Already in that state (the same news in another envelope).</summary>
    NoChange,
    /// <summary>Late, backwards or impossible: recorded and audited, not applied.</summary>
    Stale,
    /// <summary>Money that does not match ours: the payment is now conflicted (answered 409).</summary>
    Conflict,
    /// <summary>An event type that changes nothing, recorded for the audit trail.</summary>
    Informational,
    /// <summary>No record of ours matches (an object made elsewhere on the same account).</summary>
    Unmatched,
    /// <summary>This (provider, event id) was recorded before; nothing was written.</summary>
    Duplicate,
    /// <summary>A record type no feature handles yet: recorded and answered 200, never an error.</summary>
    Unhandled,
    /// <summary>Recorded and queued: its record is fetched from the provider and applied afterwards (subscriptions, invoices).</summary>
    Queued,
}

public static class DeliveryOutcomeNames
{
    /// <summary>snake_case, as stored on the event row and answered.</summary>
    public static string ToWire(this DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.Applied => "applied",
        DeliveryOutcome.NoChange => "no_change",
        DeliveryOutcome.Stale => "stale",
        DeliveryOutcome.Conflict => "conflict",
        DeliveryOutcome.Informational => "informational",
        DeliveryOutcome.Unmatched => "unmatched",
        DeliveryOutcome.Duplicate => "duplicate",
        DeliveryOutcome.Unhandled => "unhandled",
        DeliveryOutcome.Queued => "queued",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}
