using Payments.Core.Providers;
using Sdk = global::Stripe;

namespace Payments.Providers.Stripe;

/// <summary>
/// Stripe's statuses and event types in our words, one switch each. Strings Stripe may add later
/// fall to <see cref="ProviderPaymentStatus.Unknown"/> / <see cref="ProviderEventKind.Informational"/>,
/// which change nothing; every status Stripe documents today is listed (and table-tested). The maps
/// are over Stripe's strings, so the SDK's objects (API calls) and our webhook payloads share them.
/// </summary>
public static class StripeMapper
{
    /// <summary>
    /// A PaymentIntent's status. <c>requires_payment_method</c> is a fresh intent, or one whose
    /// last attempt was declined (then it carries <c>last_payment_error</c>); the customer may still
    /// retry, which our state machine allows (failed → succeeded).
    /// </summary>
    public static ProviderPaymentStatus IntentStatus(string? status, bool hasPaymentError) => status switch
    {
        "succeeded" => ProviderPaymentStatus.Succeeded,
        "requires_payment_method" => hasPaymentError ? ProviderPaymentStatus.Declined : ProviderPaymentStatus.Pending,
        "requires_confirmation" or "requires_action" or "processing" => ProviderPaymentStatus.Pending,
        // We never ask for manual capture; an authorised-but-uncaptured intent is not money yet.
        "requires_capture" => ProviderPaymentStatus.Pending,
        "canceled" => ProviderPaymentStatus.Canceled,
        _ => ProviderPaymentStatus.Unknown,
    };

    public static ProviderPaymentStatus IntentStatus(Sdk.PaymentIntent intent) =>
        IntentStatus(intent.Status, intent.LastPaymentError is not null);

    /// <summary>
    /// A Checkout Session's status (open, complete, expired) with its payment_status (paid, unpaid,
    /// no_payment_required). A complete but unpaid session is an asynchronous method (SEPA, …)
    /// still settling, unless its expanded intent (<paramref name="intentStatus"/>, mapped) shows the attempt failed.
    /// </summary>
    public static ProviderPaymentStatus SessionStatus(string? status, string? paymentStatus, ProviderPaymentStatus? intentStatus) =>
        (status, paymentStatus) switch
        {
            ("complete", "paid" or "no_payment_required") => ProviderPaymentStatus.Succeeded,
            ("complete", "unpaid") => intentStatus switch
                {
                    ProviderPaymentStatus.Declined or ProviderPaymentStatus.Canceled => ProviderPaymentStatus.Declined,
                    ProviderPaymentStatus.Succeeded => ProviderPaymentStatus.Succeeded,
                    // No intent yet (or not expanded), or one still settling.
                    _ => ProviderPaymentStatus.Pending,
                },
            // A declined card inside Checkout leaves the session open: the customer can try another.
            ("open", _) => ProviderPaymentStatus.Pending,
            ("expired", _) => ProviderPaymentStatus.Expired,
            _ => ProviderPaymentStatus.Unknown,
        };

    public static ProviderPaymentStatus SessionStatus(Sdk.Checkout.Session session) =>
        SessionStatus(session.Status, session.PaymentStatus, session.PaymentIntent is { } intent ? IntentStatus(intent) : null);

    /// <summary>A Refund's status.</summary>
    public static RefundStatus RefundStatus(string? status) => status switch
    {
        "succeeded" => Core.Providers.RefundStatus.Succeeded,
        "pending" or "requires_action" => Core.Providers.RefundStatus.Pending,
        "failed" or "canceled" => Core.Providers.RefundStatus.Failed,
        // An unknown status is not "failed": money may be on its way back; the webhook will tell.
        _ => Core.Providers.RefundStatus.Pending,
    };

    /// <summary>
    /// What an event type means. Checkout's <c>completed</c> depends on the session's
    /// payment_status: paid now, or an asynchronous method still settling.
    /// </summary>
    public static ProviderEventKind EventKind(string? type, string? sessionPaymentStatus = null) => type switch
    {
        "checkout.session.completed" => sessionPaymentStatus is "paid" or "no_payment_required"
            ? ProviderEventKind.PaymentSucceeded
            : ProviderEventKind.PaymentPending,
        "checkout.session.async_payment_succeeded" => ProviderEventKind.PaymentSucceeded,
        "checkout.session.async_payment_failed" => ProviderEventKind.PaymentFailed,
        "checkout.session.expired" => ProviderEventKind.PaymentExpired,
        "payment_intent.succeeded" => ProviderEventKind.PaymentSucceeded,
        "payment_intent.payment_failed" => ProviderEventKind.PaymentFailed,
        "payment_intent.canceled" => ProviderEventKind.PaymentCanceled,
        "charge.refunded" => ProviderEventKind.Refunded,
        _ => ProviderEventKind.Informational,
    };

    /// <summary>The event types worth selecting in the Dashboard for this adapter.</summary>
    public static readonly IReadOnlyList<string> HandledEventTypes =
    [
        "checkout.session.completed", "checkout.session.async_payment_succeeded", "checkout.session.async_payment_failed",
        "checkout.session.expired", "payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled",
        "charge.refunded",
    ];

    /// <summary>
    /// Stripe declining a refund for a reason about the money (already refunded, more than is left,
    /// disputed, balance too low): an answer to show the operator. Other errors (bad key, bad
    /// parameters) are our problem and become exceptions.
    /// </summary>
    public static bool IsRefundRefusal(string? type, string? code) =>
        type == "card_error" || code is "charge_already_refunded" or "amount_too_large" or "amount_too_small"
            or "charge_disputed" or "balance_insufficient" or "insufficient_funds" or "refund_disputed_payment";

    public static bool IsRefundRefusal(Sdk.StripeError? error) => error is not null && IsRefundRefusal(error.Type, error.Code);

    /// <summary>"insufficient_funds: Your card has insufficient funds." from a payment error.</summary>
    public static string FailureReason(string? type, string? code, string? declineCode, string? message) =>
        $"{declineCode ?? code ?? type ?? "declined"}: {message ?? "payment failed"}";

    public static string? FailureReason(Sdk.StripeError? error) =>
        error is null ? null : FailureReason(error.Type, error.Code, error.DeclineCode, error.Message);
}
