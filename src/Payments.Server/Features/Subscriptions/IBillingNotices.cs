using Payments.Server.Data;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Subscriptions;

/// <summary>
/// What subscriptions tell their customers (issue 13 item 7), called inside the write transaction that records the
/// change, so a mail written here commits together with the change or not at all. Each call happens once per provider
/// event (event ids are unique), never on a replay, and the mails carry dedupe keys of their own besides.
/// The receipt of a paid invoice needs no call: the invoice's payment is settled like every payment, and the
/// receipt mail is one of settlement's effects (<see cref="Mail.ReceiptMail"/>).
/// </summary>
public interface IBillingNotices
{
    /// <summary>Collecting an invoice failed (<c>invoice.payment_failed</c>): "payment failed", with a link to the portal.</summary>
    Task PaymentFailedAsync(PaymentsDb db, SubscriptionRow subscription, SubscriptionInvoiceRow invoice, DateTimeOffset now, CancellationToken ct);

    /// <summary>The trial ends soon (<c>customer.subscription.trial_will_end</c>, three days before): "trial ends in 3 days".</summary>
    Task TrialEndsSoonAsync(PaymentsDb db, SubscriptionRow subscription, DateTimeOffset now, CancellationToken ct);
}
