using Microsoft.EntityFrameworkCore;
using Payments.Core;
using Payments.Core.Billing;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Billing;
using Payments.Server.Features.Payments;

namespace Payments.Server.Features.Subscriptions;

/// <summary>
/// An invoice as the provider answered it, applied for a caller holding the customer's lock. The first time it is seen,
/// our numbers are fixed on its row: the subscription's net price, the VAT rate agreed when it started and the VAT
/// amount (<see cref="InvoiceAmounts"/>), and the customer's name, country and valid VAT number. A paid invoice becomes
/// a payment of ours, one per invoice (UNIQUE provider + provider payment id = the invoice): the payment is created at
/// our gross amount and finalized by the same rule every payment follows (<see cref="Settlement"/>: exact amount and
/// currency, else conflicted), with its audit row and the host's outbox row. A renewal is a new invoice, so a new payment.
/// </summary>
public sealed class InvoiceApplier(PaymentsDb db, PaymentSettler settler, IBillingNotices notices, TimeProvider clock)
{
    public const string PaymentFailedEvent = "invoice.payment_failed";

    public async Task<(DeliveryOutcome Outcome, string? PaymentId)> ApplyAsync(ISubscriptionProvider provider, SubscriptionRow subscription, string invoiceId,
        IReadOnlyList<string> eventTypes, CancellationToken ct, ProviderInvoice? fetched = null)
    {
        fetched ??= await provider.GetInvoiceAsync(invoiceId, ct);
        if (fetched is null) return (DeliveryOutcome.Unmatched, null);
        var customer = await db.BillingCustomers.AsNoTracking().FirstAsync(c => c.Id == subscription.CustomerId, ct);
        var now = clock.GetUtcNow();
        var actor = $"provider:{provider.Name}";

        await using var tx = await db.BeginWriteAsync(ct);
        var row = await db.SubscriptionInvoices.FirstOrDefaultAsync(i => i.Provider == provider.Name && i.ExternalId == invoiceId, ct);
        var changed = row is null;
        if (row is null)
        {
            // A trial's invoice is for nothing; every other one bills one period at the agreed terms.
            var net = new Core.Money.Money(fetched.AmountDue.IsZero ? 0 : subscription.AmountMinor, Core.Money.Currency.Of(subscription.Currency));
            var amounts = InvoiceAmounts.Of(net, subscription.TaxRateBp);
            row = new SubscriptionInvoiceRow
            {
                Provider = provider.Name, ExternalId = invoiceId, SubscriptionId = subscription.Id, Status = "draft", Currency = subscription.Currency,
                NetMinor = amounts.Net.Minor, VatMinor = amounts.Vat.Minor, TaxRateBp = subscription.TaxRateBp, TaxRule = subscription.TaxRule,
                CustomerName = customer.Name, CustomerCountry = customer.AddressCountry,
                CustomerVatId = BillingCustomers.StatusOf(customer) == VatStatus.Valid ? customer.VatId : null, CreatedAt = now, UpdatedAt = now,
            };
            db.SubscriptionInvoices.Add(row);
        }
        var before = (row.Status, row.AmountDueMinor, row.AmountPaidMinor, row.PeriodStart, row.PeriodEnd, row.AttemptCount);
        (row.Status, row.AmountDueMinor, row.AmountPaidMinor, row.PeriodStart, row.PeriodEnd, row.AttemptCount) =
            (Wire(fetched.Status, row.Status), fetched.AmountDue.Minor, fetched.AmountPaid.Minor, fetched.PeriodStart ?? row.PeriodStart,
                fetched.PeriodEnd ?? row.PeriodEnd, fetched.AttemptCount);
        changed |= before != (row.Status, row.AmountDueMinor, row.AmountPaidMinor, row.PeriodStart, row.PeriodEnd, row.AttemptCount);
        if (changed) row.UpdatedAt = now;

        Payment? payment = null;
        if (fetched.Status == ProviderInvoiceStatus.Paid && row.PaymentId is null && fetched.AmountPaid.IsPositive)
        {
            payment = await PaymentForAsync(provider.Name, subscription, row, fetched, now, actor, ct);
            changed = true;
        }
        if (eventTypes.Contains(PaymentFailedEvent) && fetched.Status != ProviderInvoiceStatus.Paid)
            await notices.PaymentFailedAsync(db, subscription, row, now, ct);

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (changed ? DeliveryOutcome.Applied : DeliveryOutcome.NoChange, payment?.Id ?? row.PaymentId);
    }

    /// <summary>The paid invoice as a payment: created pending at our gross, then settled on what the provider says was paid.</summary>
    private async Task<Payment> PaymentForAsync(string provider, SubscriptionRow subscription, SubscriptionInvoiceRow row, ProviderInvoice fetched,
        DateTimeOffset now, string actor, CancellationToken ct)
    {
        var productName = await (from p in db.CatalogPrices join product in db.CatalogProducts on p.ProductId equals product.Id
                                 where p.Id == subscription.PriceId select product.Name).FirstOrDefaultAsync(ct) ?? subscription.PriceKey;
        var gross = row.NetMinor + row.VatMinor;
        var payment = new Payment
        {
            Id = Ids.New("pay", now), Description = Describe(productName, subscription, row), AmountMinor = gross > 0 ? gross : fetched.AmountPaid.Minor,
            Currency = row.Currency, OwnerId = subscription.UserId, Provider = provider, ProviderPaymentId = row.ExternalId,
            Status = PaymentStatus.Pending, CreatedAt = now, UpdatedAt = now,
        };
        db.Payments.Add(payment);
        db.AuditLog.Add(Data.Audit.Entry(now, "subscription.invoice_paid", actor, payment.Id, new
        {
            subscription_id = subscription.Id, invoice_id = row.ExternalId, net = row.NetMinor, vat = row.VatMinor, tax_rate_bp = row.TaxRateBp,
            tax_rule = row.TaxRule, amount_paid = fetched.AmountPaid.Minor, currency = fetched.AmountPaid.Currency.Code,
        }));
        var decision = Settlement.Decide(payment.Snapshot(), new Observation(ProviderEventKind.PaymentSucceeded, fetched.AmountPaid));
        settler.ApplyDecision(payment, decision, null, now, actor);
        // Linked before the effects run: the receipt mail (one of them) finds the invoice's VAT through it.
        row.PaymentId = payment.Id;
        await settler.ApplyEffectsAsync(payment, decision, now, ct);
        return payment;
    }

    /// <summary>"Pro, 2025-11-22 – 2025-12-22 (pro_monthly)": what the receipt's line says.</summary>
    private static string Describe(string productName, SubscriptionRow subscription, SubscriptionInvoiceRow row) =>
        row.PeriodStart is { } start && row.PeriodEnd is { } end
            ? FormattableString.Invariant($"{productName}, {start:yyyy-MM-dd} – {end:yyyy-MM-dd} ({subscription.PriceKey})")
            : $"{productName} ({subscription.PriceKey})";

    private static string Wire(ProviderInvoiceStatus status, string previous) => status switch
    {
        ProviderInvoiceStatus.Draft => "draft",
        ProviderInvoiceStatus.Open => "open",
        ProviderInvoiceStatus.Paid => "paid",
        ProviderInvoiceStatus.Uncollectible => "uncollectible",
        ProviderInvoiceStatus.Void => "void",
        _ => previous,
    };
}
