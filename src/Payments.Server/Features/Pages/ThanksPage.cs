using Microsoft.EntityFrameworkCore;
using Payments.Core.Payments;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Features.Payments;
using Payments.Server.Features.Receipts;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Pages;

/// <summary>
/// <c>GET /payments/thanks?payment_id=…</c>: where customers land after the provider's page. It
/// says processing / paid / failed / canceled from our own state and follows the payment while it
/// is open: a small script polls <c>/payments/status/{id}</c> and swaps the block in place (no
/// reload); without script a meta refresh (inside <c>noscript</c>) and a "check again" link do it.
/// <c>GET /payments/cancel?payment_id=…</c>: where customers land when they leave the checkout;
/// it offers the open checkout back, or a new attempt.
/// </summary>
public static class ThanksPage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/payments/thanks", ShowThanksAsync).WithTags("Pages").ExcludeFromDescription();
        app.MapGet("/payments/cancel", ShowCancelAsync).WithTags("Pages").ExcludeFromDescription();
    }

    private static async Task<IResult> ShowThanksAsync(
        string? payment_id, HttpContext http, PaymentsDb db, ReceiptOptions receipts, PlanCatalog plans, ProviderRegistry providers,
        CancellationToken ct)
    {
        var payment = await FindAsync(db, payment_id, ct);
        if (payment is null) return NotFound();
        var wording = PaymentStatusView.For(payment.Status);
        var body = PaymentStatusView.Render(http, payment, wording, cancelPage: false, receipts, plans, providers) +
                   "<p class=\"visually-hidden\" id=\"status-announcer\" role=\"status\" aria-live=\"polite\"></p>";
        var follow = PaymentStatusView.IsProcessing(payment.Status)
            ? "<noscript><meta http-equiv=\"refresh\" content=\"3\"></noscript>"
            : "";
        // The script is always there: a payment that is paid may still be refunded, but it only polls while processing.
        return Html.Page(wording.Title, body, head: follow + "<script src=\"/static/thanks.js\" defer></script>", @private: true);
    }

    private static async Task<IResult> ShowCancelAsync(
        string? payment_id, HttpContext http, PaymentsDb db, ReceiptOptions receipts, PlanCatalog plans, ProviderRegistry providers,
        CancellationToken ct)
    {
        var payment = await FindAsync(db, payment_id, ct);
        if (payment is null) return NotFound();
        var wording = PaymentStatusView.IsProcessing(payment.Status)
            ? new PaymentStatusView.Wording("Checkout not completed", "You left the checkout before paying. No money was taken.")
            : PaymentStatusView.For(payment.Status);
        return Html.Page(wording.Title,
            PaymentStatusView.Render(http, payment, wording, cancelPage: true, receipts, plans, providers), @private: true);
    }

    private static async Task<Data.Entities.Payment?> FindAsync(PaymentsDb db, string? paymentId, CancellationToken ct) =>
        paymentId is null ? null : await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == paymentId, ct);

    private static IResult NotFound() =>
        Html.Page("Payment not found", "<h1>Payment not found</h1><p>We could not find that payment.</p><p><a href=\"/\">Choose a plan</a></p>", 404);
}
