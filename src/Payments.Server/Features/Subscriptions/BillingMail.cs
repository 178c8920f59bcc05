using Microsoft.EntityFrameworkCore;
using Payments.Core.Money;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Mail;

namespace Payments.Server.Features.Subscriptions;

/// <summary>
/// The subscription mails through the mail outbox: "payment failed" once per failed attempt of an invoice, "trial ends
/// soon" once per subscription and trial end. Both go to the email of the subscriber's billing information and link to
/// <see cref="PortalLinks"/>, a page of ours that opens a fresh portal session when the link is followed. With mail off
/// (<c>SMTP_URL</c> unset) nothing is written.
/// </summary>
public sealed class BillingMail(MailOutbox outbox, PortalLinks links) : IBillingNotices
{
    public async Task PaymentFailedAsync(PaymentsDb db, SubscriptionRow subscription, SubscriptionInvoiceRow invoice, DateTimeOffset now, CancellationToken ct)
    {
        if (!outbox.Enabled || await MailOutbox.RecipientOfUserAsync(db, subscription.UserId, ct) is not { } to) return;
        var due = invoice.AmountDueMinor > 0 ? invoice.AmountDueMinor : invoice.NetMinor + invoice.VatMinor;
        await outbox.PaymentFailedAsync(db, new PaymentFailedMail(
            to.Email, to.Name, $"{invoice.Provider}:{invoice.ExternalId}:{invoice.AttemptCount}", await DescribeAsync(db, subscription, ct),
            new Money(due, Currency.Of(invoice.Currency)), links.For(subscription.UserId, subscription.Provider)), now, ct);
    }

    public async Task TrialEndsSoonAsync(PaymentsDb db, SubscriptionRow subscription, DateTimeOffset now, CancellationToken ct)
    {
        if (!outbox.Enabled || subscription.TrialEnd is not { } end) return;
        if (await MailOutbox.RecipientOfUserAsync(db, subscription.UserId, ct) is not { } to) return;
        var price = await db.CatalogPrices.AsNoTracking().Where(p => p.Id == subscription.PriceId)
            .Select(p => new { Interval = p.BillingInterval, p.IntervalCount }).FirstOrDefaultAsync(ct);
        var gross = Core.Billing.InvoiceAmounts.Of(new Money(subscription.AmountMinor, Currency.Of(subscription.Currency)), subscription.TaxRateBp).Gross;
        await outbox.TrialEndingAsync(db, new TrialEndingMail(
            to.Email, to.Name, subscription.Id, await DescribeAsync(db, subscription, ct), end, links.For(subscription.UserId, subscription.Provider),
            gross, price is null ? null : price.IntervalCount == 1 ? price.Interval : $"{price.IntervalCount} {price.Interval}s"), now, ct);
    }

    private static async Task<string> DescribeAsync(PaymentsDb db, SubscriptionRow subscription, CancellationToken ct) =>
        await (from p in db.CatalogPrices join product in db.CatalogProducts on p.ProductId equals product.Id
               where p.Id == subscription.PriceId select product.Name).FirstOrDefaultAsync(ct) is { } name
            ? $"{name} ({subscription.PriceKey})"
            : subscription.PriceKey;
}
