using Microsoft.EntityFrameworkCore;
using Payments.Core.Payments;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Payments;

namespace Payments.Server.Features.Mail;

/// <summary>
/// The receipt mail, written where a payment becomes succeeded: every settlement path (webhooks, verify,
/// reconciliation) runs the registered <see cref="IPaymentEffects"/> inside its transaction, under the
/// payment's row lock, so the mail commits with the success or not at all. The recipient is the email of
/// the buyer's billing information (<c>PUT /api/v1/billing/info</c>); a guest, or a user without billing
/// information, gets no mail (the thanks page shows them the receipt).
/// </summary>
public sealed class ReceiptMail(MailOutbox mail) : IPaymentEffects
{
    /// <summary>Only successes of signed-in buyers, and only with mail on: every other settlement costs nothing more.</summary>
    public bool AppliesTo(Payment payment, SettlementDecision decision) =>
        mail.Enabled && decision.Status == PaymentStatus.Succeeded && payment.OwnerId is not null;

    public async Task ApplyAsync(PaymentsDb db, Payment payment, SettlementDecision decision, DateTimeOffset now, CancellationToken ct)
    {
        if (!AppliesTo(payment, decision)) return;
        if (await MailOutbox.RecipientOfUserAsync(db, payment.OwnerId!, ct) is not { } to) return;
        // A subscription's invoice is settled in the unit of work that creates it: look there before the database.
        var invoice = db.SubscriptionInvoices.Local.FirstOrDefault(i => i.PaymentId == payment.Id)
                      ?? await db.SubscriptionInvoices.AsNoTracking().FirstOrDefaultAsync(i => i.PaymentId == payment.Id, ct);
        await mail.ReceiptAsync(db, payment, to.Email, to.Name, now, ct, invoice);
    }
}
