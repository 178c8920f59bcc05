using Payments.Core.Money;
using Payments.Core.Providers;

namespace Payments.Providers.PayPal;

/// <summary>
/// PayPal's statuses in our words, one exhaustive switch per resource (a status PayPal adds later
/// becomes <see cref="ProviderPaymentStatus.Unknown"/>, which changes nothing), and PayPal's
/// orders and captures as <see cref="ProviderPayment"/>s.
/// </summary>
public static class PayPalMapper
{
    /// <summary>Order statuses (Orders v2). Money only moves with a capture, so no order status is a success by itself.</summary>
    public static ProviderPaymentStatus OrderStatus(string? status) => status switch
    {
        "CREATED" or "SAVED" or "PAYER_ACTION_REQUIRED" => ProviderPaymentStatus.Pending,
        // Approved by the buyer, not yet captured: still open until we capture it.
        "APPROVED" => ProviderPaymentStatus.Pending,
        "VOIDED" => ProviderPaymentStatus.Canceled,
        // COMPLETED without a capture in the body says nothing about money (e.g. a minimal response).
        "COMPLETED" => ProviderPaymentStatus.Unknown,
        _ => ProviderPaymentStatus.Unknown,
    };

    /// <summary>Capture statuses (Payments v2). A refunded capture was paid first; refunds are counted separately.</summary>
    public static ProviderPaymentStatus CaptureStatus(string? status) => status switch
    {
        "COMPLETED" or "PARTIALLY_REFUNDED" or "REFUNDED" => ProviderPaymentStatus.Succeeded,
        "PENDING" => ProviderPaymentStatus.Pending,
        "DECLINED" or "FAILED" => ProviderPaymentStatus.Declined,
        _ => ProviderPaymentStatus.Unknown,
    };

    /// <summary>Refund statuses. An unknown one is treated as not settled yet: the webhook will say.</summary>
    public static RefundStatus RefundStatusOf(string? status) => status switch
    {
        "COMPLETED" => RefundStatus.Succeeded,
        "PENDING" => RefundStatus.Pending,
        "CANCELLED" or "FAILED" => RefundStatus.Failed,
        _ => RefundStatus.Pending,
    };

    /// <summary>Webhook event types we act on; every other type is recorded as informational.</summary>
    public static ProviderEventKind EventKind(string? eventType) => eventType switch
    {
        "CHECKOUT.ORDER.APPROVED" => ProviderEventKind.CaptureRequired,
        "PAYMENT.CAPTURE.COMPLETED" => ProviderEventKind.PaymentSucceeded,
        "PAYMENT.CAPTURE.PENDING" => ProviderEventKind.PaymentPending,
        "PAYMENT.CAPTURE.DENIED" or "PAYMENT.CAPTURE.DECLINED" => ProviderEventKind.PaymentFailed,
        "PAYMENT.CAPTURE.REFUNDED" => ProviderEventKind.Refunded,
        _ => ProviderEventKind.Informational,
    };

    /// <summary>
    /// An order as a payment: its capture decides status and amount when there is one; the order's own
    /// status otherwise. The refunded total is the sum of its completed refunds (cumulative).
    /// </summary>
    public static ProviderPayment ToPayment(PayPalOrder order, string orderId)
    {
        var unit = order.PurchaseUnits?.FirstOrDefault();
        var ourId = unit?.CustomId ?? unit?.InvoiceId;
        // intent=CAPTURE allows one capture per order; the last one is the one that counts.
        var capture = unit?.Payments?.Captures?.LastOrDefault();
        if (capture is null)
            return new ProviderPayment(order.Id ?? orderId, OrderStatus(order.Status), PayPalAmounts.FromPayPal(unit?.Amount), PaymentId: ourId);

        var amount = PayPalAmounts.FromPayPal(capture.Amount);
        var status = CaptureStatus(capture.Status);
        return new ProviderPayment(
            order.Id ?? orderId, status, amount,
            RefundedTotal: amount is { } paid ? RefundedTotal(unit!.Payments!.Refunds, paid.Currency) : null,
            ProviderReference: capture.Id,
            PaymentId: capture.CustomId ?? ourId,
            FailureCode: status == ProviderPaymentStatus.Declined ? capture.StatusDetails?.Reason ?? capture.Status : null,
            FailureMessage: status == ProviderPaymentStatus.Declined ? $"PayPal capture {capture.Status}" : null);
    }

    /// <summary>A capture read on its own (webhook refetch): the order id comes from its supplementary data.</summary>
    public static ProviderPayment ToPayment(PayPalCapture capture)
    {
        var status = CaptureStatus(capture.Status);
        return new ProviderPayment(
            capture.SupplementaryData?.RelatedIds?.OrderId ?? "", status, PayPalAmounts.FromPayPal(capture.Amount),
            ProviderReference: capture.Id,
            PaymentId: capture.CustomId ?? capture.InvoiceId,
            FailureCode: status == ProviderPaymentStatus.Declined ? capture.StatusDetails?.Reason ?? capture.Status : null);
    }

    /// <summary>Sum of the completed refunds in the capture's currency; refunds we cannot read count as nothing.</summary>
    public static Money? RefundedTotal(IReadOnlyList<PayPalRefund>? refunds, Currency currency)
    {
        var total = Money.Zero(currency);
        foreach (var refund in refunds ?? [])
            if (refund.Status == "COMPLETED" && PayPalAmounts.FromPayPal(refund.Amount) is { } amount && amount.Currency == currency)
                total += amount;
        return total;
    }

    /// <summary>The capture a refund belongs to: PayPal links it as <c>rel=up</c> (…/v2/payments/captures/{id}).</summary>
    public static string? CaptureIdOf(PayPalRefund refund)
    {
        var up = refund.Links?.FirstOrDefault(l => l.Rel == "up" && l.Href?.Contains("/captures/", StringComparison.Ordinal) == true);
        if (up?.Href is null || !Uri.TryCreate(up.Href, UriKind.Absolute, out var uri)) return null;
        var id = uri.Segments[^1].TrimEnd('/');
        return PayPalIds.IsResourceId(id) ? id : null;
    }

    /// <summary>The link the buyer follows to approve: "payer-action" with payment_source.paypal, "approve" with the older application_context.</summary>
    public static Uri? ApproveLink(PayPalOrder order)
    {
        var link = order.Links?.FirstOrDefault(l => l.Rel is "payer-action" or "approve");
        return link?.Href is { } href && Uri.TryCreate(href, UriKind.Absolute, out var uri) ? uri : null;
    }
}
