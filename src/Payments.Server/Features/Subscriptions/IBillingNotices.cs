using Payments.Server.Data;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Subscriptions;

/// <summary>
/// The seam for the mails of issue 13 item 7 (built on the <c>mail</c> branch): called inside the transaction that
/// records the change, with its unit of work, so a mail enqueued here (an outbox row added to the given context)
/// commits together with the change or not at all. Each call happens once per provider event (event ids are unique),
/// never on a replay. Add rows to the context; do not save or commit. The default does nothing.
/// </summary>
public interface IBillingNotices
{
    /// <summary>An invoice was paid and became <paramref name="payment"/> (a receipt mail).</summary>
    void InvoicePaid(PaymentsDb db, SubscriptionRow subscription, SubscriptionInvoiceRow invoice, Payment payment, DateTimeOffset now);

    /// <summary>Collecting an invoice failed (<c>invoice.payment_failed</c>): "payment failed", with a link to the portal.</summary>
    void PaymentFailed(PaymentsDb db, SubscriptionRow subscription, SubscriptionInvoiceRow invoice, DateTimeOffset now);

    /// <summary>The trial ends soon (<c>customer.subscription.trial_will_end</c>, three days before): "trial ends in 3 days".</summary>
    void TrialEndsSoon(PaymentsDb db, SubscriptionRow subscription, DateTimeOffset now);
}

/// <summary>No mail: what runs until the mail feature registers its own <see cref="IBillingNotices"/>.</summary>
public sealed class NoBillingNotices : IBillingNotices
{
    public void InvoicePaid(PaymentsDb db, SubscriptionRow subscription, SubscriptionInvoiceRow invoice, Payment payment, DateTimeOffset now) { }

    public void PaymentFailed(PaymentsDb db, SubscriptionRow subscription, SubscriptionInvoiceRow invoice, DateTimeOffset now) { }

    public void TrialEndsSoon(PaymentsDb db, SubscriptionRow subscription, DateTimeOffset now) { }
}
