using Microsoft.EntityFrameworkCore;
using MimeKit.Utils;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Data.Sql;
using Payments.Server.Features.Receipts;

namespace Payments.Server.Features.Mail;

/// <summary>The kinds of mail, as <c>mail_outbox.kind</c> stores them.</summary>
public static class MailKinds
{
    public const string Receipt = "receipt", PaymentFailed = "payment_failed", TrialEnding = "trial_ending";
}

/// <summary>
/// What other features call to send a mail: INSIDE the write transaction of the change the mail is about
/// (<c>await using var tx = await db.BeginWriteAsync(ct)</c> … call … commit), so the change and its mail commit
/// together or not at all. The row is written at once on that transaction's connection; the worker
/// (<see cref="MailDispatcher"/>) sends it after the commit.
/// <list type="bullet">
/// <item>Exactly one row per event: each mail has a dedupe key naming its event, UNIQUE in the table, and a
/// second call for the same event writes nothing and answers false (it never fails the caller's change).</item>
/// <item>With <c>SMTP_URL</c> unset every method writes nothing and answers false.</item>
/// <item>A mail without a recipient (no email known) is not written either.</item>
/// </list>
/// </summary>
public sealed class MailOutbox(MailOptions options, ReceiptOptions receipts, ProviderRegistry providers)
{
    public bool Enabled => options.Enabled;

    /// <summary>The receipt of a payment that just succeeded; one per payment (<c>receipt:{payment id}</c>).</summary>
    /// <param name="invoice">The subscription invoice the payment pays, whose VAT breakdown the receipt shows; null for other payments.</param>
    public Task<bool> ReceiptAsync(PaymentsDb db, Payment payment, string recipient, string? name, DateTimeOffset now, CancellationToken ct,
        SubscriptionInvoiceRow? invoice = null)
    {
        if (!Enabled) return Task.FromResult(false);
        var receipt = Receipt.For(payment, receipts, providers.DisplayName(payment.Provider));
        if (invoice is not null) receipt = receipt with { Tax = ReceiptTax.Of(invoice, receipts.Merchant.VatId) };
        // The thanks page shows the receipt without signing in (the payment id is the capability), so the link
        // works from any mail client; the API's receipt routes need a signed-in caller.
        var link = options.Link($"payments/thanks?payment_id={Uri.EscapeDataString(payment.Id)}");
        return WriteAsync(db, MailKinds.Receipt, $"receipt:{payment.Id}", recipient, MailTemplates.Receipt(receipt, name, link), now, ct);
    }

    /// <summary>"Payment failed" with a link to the billing portal; one per <see cref="PaymentFailedMail.EventKey"/>.</summary>
    public Task<bool> PaymentFailedAsync(PaymentsDb db, PaymentFailedMail mail, DateTimeOffset now, CancellationToken ct) =>
        Enabled
            ? WriteAsync(db, MailKinds.PaymentFailed, $"payment_failed:{mail.EventKey}", mail.Recipient,
                MailTemplates.PaymentFailed(mail, receipts.Merchant.Name), now, ct)
            : Task.FromResult(false);

    /// <summary>"Your trial ends on …"; one per subscription and trial end (<c>trial_ending:{sub}:{unix trial end}</c>).</summary>
    public Task<bool> TrialEndingAsync(PaymentsDb db, TrialEndingMail mail, DateTimeOffset now, CancellationToken ct) =>
        Enabled
            ? WriteAsync(db, MailKinds.TrialEnding, $"trial_ending:{mail.SubscriptionId}:{mail.TrialEnd.ToUnixTimeSeconds()}", mail.Recipient,
                MailTemplates.TrialEnding(mail, now, receipts.Merchant.Name), now, ct)
            : Task.FromResult(false);

    /// <summary>The email and name of a user's billing information, or null when the user has none.</summary>
    public static async Task<(string Email, string Name)?> RecipientOfUserAsync(PaymentsDb db, string userId, CancellationToken ct) =>
        await db.BillingCustomers.AsNoTracking().Where(c => c.UserId == userId)
            .Select(c => new { c.Email, c.Name }).FirstOrDefaultAsync(ct) is { } c ? (c.Email, c.Name) : null;

    /// <summary>Any mail, for a kind of its own; <paramref name="dedupeKey"/> names the event (unique across all mail).</summary>
    public async Task<bool> WriteAsync(
        PaymentsDb db, string kind, string dedupeKey, string recipient, RenderedMail mail, DateTimeOffset now, CancellationToken ct)
    {
        if (!Enabled || string.IsNullOrWhiteSpace(recipient)) return false;
        var row = new MailOutboxRow
        {
            Kind = kind, DedupeKey = dedupeKey, Recipient = recipient.Trim(), Subject = mail.Subject, TextBody = mail.Text, HtmlBody = mail.Html,
            // Fixed now, so every attempt (and a resend after a crash) carries the same Message-ID.
            MessageId = MimeUtils.GenerateMessageId(options.From!.Domain),
            Status = MailStatus.Pending, NextAttemptAt = now, CreatedAt = now, UpdatedAt = now,
        };
        return await MailOutboxRows.InsertAsync(db, row, ct);
    }
}

/// <summary>The states of a mail.</summary>
public static class MailStatus
{
    public const string Pending = "pending", Sent = "sent", Failed = "failed";
}
