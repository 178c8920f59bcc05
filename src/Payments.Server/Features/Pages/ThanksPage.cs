using Microsoft.EntityFrameworkCore;
using Payments.Core.Payments;
using Payments.Server.Data;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Pages;

/// <summary>
/// <c>GET /payments/thanks?payment_id=…</c>: where customers land after the provider's page. It
/// says processing / paid / failed / canceled from our own state (the webhook decides, not the
/// redirect), and refreshes itself while the payment is still open.
/// </summary>
public static class ThanksPage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/payments/thanks", ShowAsync).WithTags("Pages").ExcludeFromDescription();
        app.MapGet("/payments/cancel", ShowAsync).WithTags("Pages").ExcludeFromDescription();
    }

    private static async Task<IResult> ShowAsync(string? payment_id, PaymentsDb db, CancellationToken ct)
    {
        var payment = payment_id is null ? null
            : await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == payment_id, ct);
        if (payment is null)
            return Html.Page("Payment not found", "<h1>Payment not found</h1><p>We could not find that payment.</p>", 404);

        var (title, message, open) = payment.Status switch
        {
            PaymentStatus.Created or PaymentStatus.Pending =>
                ("Processing…", "We are waiting for the payment provider to confirm your payment. This page refreshes by itself.", true),
            PaymentStatus.Succeeded or PaymentStatus.PartiallyRefunded => ("Paid", "Thank you, your payment has been received.", false),
            PaymentStatus.Refunded => ("Refunded", "This payment has been refunded.", false),
            PaymentStatus.Failed => ("Payment failed", "The payment did not go through. No money was taken.", false),
            PaymentStatus.Canceled => ("Payment canceled", "You canceled the payment. No money was taken.", false),
            PaymentStatus.Expired => ("Checkout expired", "The checkout expired before it was completed.", false),
            _ => ("Payment under review", "We received something unexpected from the payment provider and are looking into it.", false),
        };
        var body = $"""
            <h1 data-status="{Html.E(payment.Status.ToWire())}">{Html.E(title)}</h1>
            <p>{Html.E(message)}</p>
            <dl>
              <dt>Payment</dt><dd>{Html.E(payment.Id)}</dd>
              <dt>Item</dt><dd>{Html.E(payment.Description)}</dd>
              <dt>Amount</dt><dd>{Html.E(payment.Amount.ToString())}</dd>
            </dl>
            """;
        return Html.Page(title, body, head: open ? "<meta http-equiv=\"refresh\" content=\"2\">" : null);
    }
}
