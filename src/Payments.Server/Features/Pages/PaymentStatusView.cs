using System.Text;
using Payments.Core.Payments;
using Payments.Providers;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Payments;
using Payments.Server.Features.Receipts;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Pages;

/// <summary>
/// What the thanks and cancel pages say about one payment, from our own state (the webhook decides,
/// not the redirect). Paid payments show their receipt inline: the receipt API needs sign-in, which
/// a customer's browser on these pages does not have, and the payment id in the address is already
/// what lets its holder see the payment. Closed payments that took no money offer "Try again".
/// </summary>
internal static class PaymentStatusView
{
    public sealed record Wording(string Title, string Message);

    public static bool IsProcessing(PaymentStatus status) => status is PaymentStatus.Created or PaymentStatus.Pending;

    public static Wording For(PaymentStatus status) => status switch
    {
        PaymentStatus.Created or PaymentStatus.Pending =>
            new("Processing…", "We are waiting for the payment provider to confirm your payment. This page updates by itself."),
        PaymentStatus.Succeeded or PaymentStatus.PartiallyRefunded => new("Paid", "Thank you, your payment has been received."),
        PaymentStatus.Refunded => new("Refunded", "This payment has been refunded."),
        PaymentStatus.Failed => new("Payment failed", "The payment did not go through. No money was taken."),
        PaymentStatus.Canceled => new("Payment canceled", "You canceled the payment. No money was taken."),
        PaymentStatus.Expired => new("Checkout expired", "The checkout expired before it was completed. No money was taken."),
        _ => new("Payment under review", "We received something unexpected from the payment provider and are looking into it."),
    };

    /// <summary>
    /// The block both pages show, in a container the thanks page's script replaces when the status
    /// changes. On the thanks page an open payment gets a "check again" link (works without
    /// script); on the cancel page a pending one gets its checkout back, so leaving and returning
    /// never makes a second payment that could be paid twice.
    /// </summary>
    public static string Render(HttpContext http, Payment payment, Wording wording, bool cancelPage,
        ReceiptOptions receipts, PlanCatalog plans, ProviderRegistry providers)
    {
        var status = payment.Status.ToWire();
        var processing = IsProcessing(payment.Status);
        var html = new StringBuilder()
            .Append($"<div id=\"payment-status\" data-payment-id=\"{Html.E(payment.Id)}\" data-status=\"{Html.E(status)}\" ")
            .Append($"data-processing=\"{(processing ? "true" : "false")}\">")
            .Append($"<h1 data-status=\"{Html.E(status)}\">{Html.E(wording.Title)}</h1>")
            .Append($"<p>{Html.E(wording.Message)}</p>");

        if (payment.Status.IsPaid()) html.Append(ReceiptSection(Receipt.For(payment, receipts, providers.DisplayName(payment.Provider))));
        else
            html.Append("<dl>")
                .Append($"<dt>Payment</dt><dd>{Html.E(payment.Id)}</dd>")
                .Append($"<dt>Item</dt><dd>{Html.E(payment.Description)}</dd>")
                .Append($"<dt>Amount</dt><dd>{Html.E(payment.Amount.ToString())}</dd>")
                .Append("</dl>");

        var checkout = payment.Status == PaymentStatus.Pending ? payment.RedirectUrl : null;
        if (cancelPage && checkout is not null)
            html.Append($"<p><a class=\"button\" href=\"{Html.E(checkout)}\">Return to checkout</a></p>");
        else if (!cancelPage && processing)
            html.Append($"<p class=\"check-again\"><a href=\"{Html.E(http.Request.Path + http.Request.QueryString)}\">Check again</a></p>");
        if (payment.Status is PaymentStatus.Failed or PaymentStatus.Canceled or PaymentStatus.Expired
            || (cancelPage && processing && checkout is null))
            html.Append(TryAgain(http, payment, plans, providers));
        return html.Append("</div>").ToString();
    }

    private static string ReceiptSection(Receipt r)
    {
        var refunded = r.Refunded.IsZero ? "" : $"<dt>Refunded</dt><dd>{Html.E(r.Refunded.ToString())}</dd>";
        return $"""
            <section class="receipt" aria-labelledby="receipt-heading">
            <h2 id="receipt-heading">Receipt</h2>
            <dl>
              <dt>Receipt number</dt><dd data-receipt-number>{Html.E(r.Number)}</dd>
              <dt>Status</dt><dd>{Html.E(r.StatusDisplayName)}</dd>
              <dt>Paid</dt><dd>{Html.E(r.PaidDateTime)}</dd>
              <dt>Item</dt><dd>{Html.E(r.Description)}</dd>
              <dt>Amount</dt><dd>{Html.E(r.Amount.ToString())}</dd>
              {refunded}
              <dt>Paid to</dt><dd>{Html.E(r.Merchant.Name)}</dd>
              <dt>Paid with</dt><dd>{Html.E(r.ProviderDisplayName)}</dd>
              {(r.WalletDisplayName is { } wallet ? $"<dt>Wallet</dt><dd>{Html.E(wallet)}</dd>" : "")}
            </dl>
            <p>Keep the receipt number for your records (print or save this page); quote it if you contact us.
            If you bought while signed in to your account, the PDF receipt is there as well.</p>
            </section>
            """;
    }

    /// <summary>A new payment for the same plan and provider (never the old checkout again); or back to the plans.</summary>
    private static string TryAgain(HttpContext http, Payment payment, PlanCatalog plans, ProviderRegistry providers)
    {
        var choose = "<p><a href=\"/\">Choose a plan</a></p>";
        // A wallet needs a fresh token from the buyer's wallet: that starts on the storefront, not in this form.
        if (payment.Plan is null || !plans.All.Any(p => p.Key == payment.Plan) || !providers.TryGet(payment.Provider, out var provider)
            || provider is Core.Providers.IWalletProvider)
            return choose;
        return $"""
            <form method="post" action="/payments/checkout" class="try-again">
              {Html.AntiforgeryField(http)}
              <input type="hidden" name="plan" value="{Html.E(payment.Plan)}">
              <input type="hidden" name="provider" value="{Html.E(payment.Provider)}">
              <button type="submit">Try again</button>
            </form>
            {choose}
            """;
    }
}
