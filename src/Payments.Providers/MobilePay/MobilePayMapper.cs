using Payments.Core.Money;
using Payments.Core.Providers;

namespace Payments.Providers.MobilePay;

/// <summary>
/// Vipps MobilePay's words in ours, one exhaustive switch each for payment states and webhook event
/// names (anything Vipps adds later becomes Unknown or Informational, which changes nothing).
/// <para>
/// The ePayment API's states are CREATED, ABORTED, EXPIRED, AUTHORIZED and TERMINATED. There is no
/// CAPTURED state: AUTHORIZED stays the state for the rest of the payment's life, and the
/// <c>aggregate</c> says what was captured, refunded and cancelled. AUTHORIZED is a reservation, not
/// money: a payment is ours when <c>aggregate.capturedAmount</c> says so.
/// </para>
/// </summary>
public static class MobilePayMapper
{
    /// <summary>Every state the API documents; a state and its aggregate decide together.</summary>
    public static ProviderPaymentStatus Status(string? state, MobilePayAggregate? aggregate) => state switch
    {
        "CREATED" => ProviderPaymentStatus.Pending,
        "AUTHORIZED" when Positive(aggregate?.CapturedAmount) => ProviderPaymentStatus.Succeeded,
        // The reservation was released without a capture (the cancel endpoint after authorization).
        "AUTHORIZED" when Positive(aggregate?.CancelledAmount) => ProviderPaymentStatus.Canceled,
        // Approved in the app, not captured yet: still open until we capture it.
        "AUTHORIZED" => ProviderPaymentStatus.Pending,
        "ABORTED" => ProviderPaymentStatus.Canceled,
        "EXPIRED" => ProviderPaymentStatus.Expired,
        "TERMINATED" => ProviderPaymentStatus.Canceled,
        _ => ProviderPaymentStatus.Unknown,
    };

    /// <summary>
    /// Every ePayment event name (<c>epayments.payment.&lt;name&gt;.v1</c>). <c>success: false</c> says an
    /// operation failed, which changes nothing we keep: recorded for the operator, never applied.
    /// </summary>
    public static ProviderEventKind EventKind(string? name, bool success) => (name, success) switch
    {
        (_, false) => ProviderEventKind.Informational,
        ("CREATED", _) => ProviderEventKind.Informational,
        // The customer approved: nothing is paid until we capture (the intake's capture step does it).
        ("AUTHORIZED", _) => ProviderEventKind.CaptureRequired,
        ("CAPTURED", _) => ProviderEventKind.PaymentSucceeded,
        ("REFUNDED", _) => ProviderEventKind.Refunded,
        ("ABORTED", _) => ProviderEventKind.PaymentCanceled,
        ("EXPIRED", _) => ProviderEventKind.PaymentExpired,
        ("CANCELLED", _) => ProviderEventKind.PaymentCanceled,
        ("TERMINATED", _) => ProviderEventKind.PaymentCanceled,
        _ => ProviderEventKind.Informational,
    };

    /// <summary>The webhook event type as registered and stored: <c>epayments.payment.authorized.v1</c>.</summary>
    public static string EventType(string name) => $"epayments.payment.{name.ToLowerInvariant()}.v1";

    /// <summary>Every event a registration subscribes to.</summary>
    public static readonly IReadOnlyList<string> EventNames =
        ["CREATED", "ABORTED", "EXPIRED", "CANCELLED", "CAPTURED", "REFUNDED", "AUTHORIZED", "TERMINATED"];

    /// <summary>
    /// A payment as Vipps reports it: when captured, the captured amount is what was charged (compared
    /// exactly with ours by the settlement rules) and the refunded amount is the cumulative total.
    /// </summary>
    public static ProviderPayment ToPayment(MobilePayPayment payment, string reference, string? captureReference = null)
    {
        var status = Status(payment.State, payment.Aggregate);
        var charged = status == ProviderPaymentStatus.Succeeded
            ? MobilePayAmounts.FromMobilePay(payment.Aggregate?.CapturedAmount)
            : MobilePayAmounts.FromMobilePay(payment.Amount);
        return new ProviderPayment(
            payment.Reference ?? reference, status, charged,
            RefundedTotal: status == ProviderPaymentStatus.Succeeded ? MobilePayAmounts.FromMobilePay(payment.Aggregate?.RefundedAmount) : null,
            ProviderReference: status == ProviderPaymentStatus.Succeeded ? captureReference : null,
            PaymentId: MobilePayReference.PaymentIdOf(payment.Reference ?? reference),
            FailureCode: status is ProviderPaymentStatus.Canceled or ProviderPaymentStatus.Expired ? payment.State : null);
    }

    /// <summary>What is still reserved and neither captured nor released, in the payment's currency; null when the aggregate does not say.</summary>
    public static Money? Capturable(MobilePayPayment payment)
    {
        var aggregate = payment.Aggregate;
        if (MobilePayAmounts.FromMobilePay(aggregate?.AuthorizedAmount) is not { } authorized) return null;
        var captured = MobilePayAmounts.FromMobilePay(aggregate?.CapturedAmount) ?? Money.Zero(authorized.Currency);
        var cancelled = MobilePayAmounts.FromMobilePay(aggregate?.CancelledAmount) ?? Money.Zero(authorized.Currency);
        if (captured.Currency != authorized.Currency || cancelled.Currency != authorized.Currency) return null;
        return authorized - captured - cancelled;
    }

    private static bool Positive(MobilePayAmount? amount) => amount?.Value > 0;
}
