using System.Text.Json;
using Payments.Core;
using Payments.Core.Payments;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Payments;

namespace Payments.Server.Features.Outbox;

/// <summary>
/// The events the host application can subscribe to, and the outbox row for each change. A row is
/// made where the change is made (<see cref="PaymentSettler.Transition"/>) and written in the same
/// transaction, so "the payment succeeded" and "tell the host" commit together or not at all.
/// </summary>
public static class HostEvents
{
    public const string PaymentSucceeded = "payment.succeeded";
    public const string PaymentFailed = "payment.failed";
    public const string PaymentCanceled = "payment.canceled";
    public const string PaymentExpired = "payment.expired";
    public const string PaymentConflicted = "payment.conflicted";

    /// <summary>Money went back (in part or in whole): <c>refunded</c> and <c>status</c> in the payload say how much.</summary>
    public const string PaymentRefunded = "payment.refunded";

    /// <summary>One refund of ours reached its end: the provider made it, or refused it.</summary>
    public const string RefundSucceeded = "refund.succeeded";
    public const string RefundFailed = "refund.failed";

    /// <summary>Credits were added to (a purchase, a referral bonus) or taken back from (a refund) a user's balance.</summary>
    public const string CreditsGranted = "credits.granted";
    public const string CreditsTakenBack = "credits.taken_back";

    /// <summary>Every type an endpoint may subscribe to ("*" subscribes to all, present and future).</summary>
    public static readonly IReadOnlyList<string> All =
    [
        PaymentSucceeded, PaymentFailed, PaymentCanceled, PaymentExpired, PaymentConflicted, PaymentRefunded, RefundSucceeded, RefundFailed,
        CreditsGranted, CreditsTakenBack,
    ];

    /// <summary>A movement of a user's credits, as a delivery shows it.</summary>
    /// <param name="Credits">Credits added (granted) or removed (taken back), always positive.</param>
    /// <param name="Reason">purchase, referral_bonus or refund.</param>
    public sealed record CreditsObject(string UserId, long Credits, string Reason, string PaymentId);

    /// <summary>
    /// The outbox row for credits granted or taken back. Its resource is the user's credit account, so a
    /// user's balance changes reach the host in the order they happened.
    /// </summary>
    public static OutboxEvent ForCredits(string type, CreditsObject credits, DateTimeOffset now) => new()
    {
        EventId = Ids.New("evt", now),
        Type = type,
        ResourceType = "credit_account",
        ResourceId = credits.UserId,
        Payload = JsonSerializer.Serialize(credits, Json),
        CreatedAt = now,
    };

    /// <summary>A refund as a delivery shows it: the API's refund view and the payment it belongs to.</summary>
    public sealed record RefundObject(
        string RefundId, string PaymentId, long Amount, string Currency, string Status, string? Reason, string? ProviderRefundId,
        string? FailureReason, string RequestedBy, DateTimeOffset CreatedAt);

    /// <summary>The API's own JSON conventions (snake_case), so a delivery shows a resource as the API does.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>What a payment's change means to the host, or null (pending is not news).</summary>
    public static string? TypeFor(PaymentStatus before, long refundedBefore, Payment after)
    {
        if (after.RefundedMinor > refundedBefore) return PaymentRefunded;
        if (after.Status == before) return null;
        return after.Status switch
        {
            PaymentStatus.Succeeded => PaymentSucceeded,
            PaymentStatus.Failed => PaymentFailed,
            PaymentStatus.Canceled => PaymentCanceled,
            PaymentStatus.Expired => PaymentExpired,
            PaymentStatus.Conflicted => PaymentConflicted,
            _ => null,
        };
    }

    /// <summary>
    /// The outbox row for a refund that just ended (succeeded or failed), or null while it is pending.
    /// Its resource is the payment, so the host hears about a payment's refunds in order with the payment's own events.
    /// </summary>
    public static OutboxEvent? ForRefund(Refund r, DateTimeOffset now) =>
        (r.Status switch { Refund.Succeeded => RefundSucceeded, Refund.Failed => RefundFailed, _ => null }) is { } type
            ? new OutboxEvent
            {
                EventId = Ids.New("evt", now),
                Type = type,
                ResourceType = "payment",
                ResourceId = r.PaymentId,
                Payload = JsonSerializer.Serialize(new RefundObject(r.Id, r.PaymentId, r.AmountMinor, r.Currency, r.Status, r.Reason,
                    r.ProviderRefundId, r.FailureReason, r.RequestedBy, r.CreatedAt), Json),
                CreatedAt = now,
            }
            : null;

    /// <summary>The outbox row for a payment that just changed, or null when the change is not news.</summary>
    public static OutboxEvent? ForPayment(PaymentStatus before, long refundedBefore, Payment after, DateTimeOffset now) =>
        TypeFor(before, refundedBefore, after) is { } type
            ? new OutboxEvent
            {
                EventId = Ids.New("evt", now),
                Type = type,
                ResourceType = "payment",
                ResourceId = after.Id,
                Payload = JsonSerializer.Serialize(PaymentView.Of(after), Json),
                CreatedAt = now,
            }
            : null;
}
