using System.Globalization;
using System.Text;
using Payments.Core.Money;
using Payments.Server.Features.Receipts;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Mail;

/// <summary>A mail as written to the outbox: subject, plain text and HTML (the same words).</summary>
public sealed record RenderedMail(string Subject, string Text, string Html);

/// <summary>
/// The words of each mail, as pure functions of what they are about (no clock, no database): rendered when the
/// row is written, so the mail says what was true at that moment. Every interpolated value is HTML-encoded.
/// </summary>
public static class MailTemplates
{
    public static RenderedMail Receipt(Receipt r, string? name, Uri receiptLink)
    {
        var subject = $"Receipt {r.Number}: {r.Description}, {r.Amount}";
        var facts = new List<string>
        {
            $"Receipt number: {r.Number}", $"Paid: {r.PaidDateTime}", $"Item: {r.Description}", $"Amount: {r.Amount}",
            $"Paid with: {r.ProviderDisplayName}",
        };
        // A subscription's invoice: the VAT breakdown and both VAT numbers, as its HTML and PDF show them.
        if (r.Tax is { } tax)
        {
            facts.Add($"Net: {tax.Net}");
            facts.Add(tax.ReverseCharge ? $"VAT: none ({ReceiptTax.ReverseChargeNotice})" : $"VAT {tax.RatePercent} %: {tax.Vat}");
            facts.Add($"Total: {tax.Gross}");
            if (tax.CustomerVatId is { } customerVat) facts.Add($"Your VAT number: {customerVat}");
            if (tax.MerchantVatId is { } merchantVat) facts.Add($"Our VAT number: {merchantVat}");
        }
        return Build(subject, Greeting(name), "Thank you for your payment.", facts,
            ("Your receipt (print or save it for your records):", receiptLink), closing: r.Merchant.Name);
    }

    public static RenderedMail PaymentFailed(PaymentFailedMail m, string merchant)
    {
        var subject = $"Payment failed: {m.Description}, {m.Amount}";
        var facts = new List<string> { $"Item: {m.Description}", $"Amount: {m.Amount}" };
        if (m.Reason is { Length: > 0 } reason) facts.Add($"Reason: {reason}");
        if (m.NextAttemptAt is { } next) facts.Add($"Next attempt: {Date(next)}");
        return Build(subject, Greeting(m.Name),
            "We could not take your payment. Please check or update your payment method in the billing portal, so your subscription continues.",
            facts, ("Billing portal:", m.PortalUrl), closing: merchant);
    }

    /// <param name="now">When the mail is written: the days left are counted from it.</param>
    public static RenderedMail TrialEnding(TrialEndingMail m, DateTimeOffset now, string merchant)
    {
        var subject = $"Your trial of {m.Description} ends on {Date(m.TrialEnd)}";
        var facts = new List<string> { $"Trial ends: {Date(m.TrialEnd)}" };
        if (m.PriceAfterTrial is { } price) facts.Add($"Then: {price}{(m.Interval is { Length: > 0 } i ? " per " + i : "")}");
        return Build(subject, Greeting(m.Name),
            $"Your trial of {m.Description} ends in {DaysLeft(m.TrialEnd - now)}. To keep it, make sure a payment method is on file; to stop, cancel before then.",
            facts, ("Manage your subscription:", m.PortalUrl), closing: merchant);
    }

    private static string DaysLeft(TimeSpan left)
    {
        var days = Math.Max(1, (int)Math.Round(left.TotalDays, MidpointRounding.AwayFromZero));
        return days == 1 ? "1 day" : $"{days} days";
    }

    private static string Greeting(string? name) => string.IsNullOrWhiteSpace(name) ? "Hello," : $"Hello {name.Trim()},";

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static RenderedMail Build(string subject, string greeting, string lead, IReadOnlyList<string> facts, (string Label, Uri Url) link, string closing)
    {
        var text = new StringBuilder()
            .Append(greeting).Append("\n\n").Append(lead).Append("\n\n");
        foreach (var f in facts) text.Append(f).Append('\n');
        text.Append('\n').Append(link.Label).Append('\n').Append(link.Url.AbsoluteUri).Append("\n\n").Append(closing).Append('\n');

        var html = new StringBuilder()
            .Append("<!doctype html><html><body style=\"font-family:sans-serif\">")
            .Append("<p>").Append(Html.E(greeting)).Append("</p><p>").Append(Html.E(lead)).Append("</p><ul>");
        foreach (var f in facts) html.Append("<li>").Append(Html.E(f)).Append("</li>");
        html.Append("</ul><p>").Append(Html.E(link.Label)).Append(" <a href=\"").Append(Html.E(link.Url.AbsoluteUri)).Append("\">")
            .Append(Html.E(link.Url.AbsoluteUri)).Append("</a></p><p>").Append(Html.E(closing)).Append("</p></body></html>");
        return new RenderedMail(subject, text.ToString(), html.ToString());
    }
}

/// <summary>
/// "Payment failed" for one failed attempt at an invoice.
/// </summary>
/// <param name="Recipient">The customer's address (billing information's email).</param>
/// <param name="Name">For the greeting; null greets without a name.</param>
/// <param name="EventKey">
/// Names the failure, so the same failure applied twice sends one mail and the next failure its own: e.g.
/// the invoice id and its attempt number (<c>in_123:2</c>), or the provider's event id.
/// </param>
/// <param name="Description">What was being paid for ("Pro (monthly)").</param>
/// <param name="PortalUrl">Where the customer fixes it: an absolute link to the billing portal.</param>
/// <param name="Reason">The provider's decline reason, customer-safe ("Your card was declined."), or null.</param>
/// <param name="NextAttemptAt">When the provider tries again, or null when it will not.</param>
public sealed record PaymentFailedMail(
    string Recipient, string? Name, string EventKey, string Description, Money Amount, Uri PortalUrl,
    string? Reason = null, DateTimeOffset? NextAttemptAt = null);

/// <summary>"Your trial ends in 3 days" for one subscription's trial.</summary>
/// <param name="SubscriptionId">Ours (<c>sub_…</c>); with <paramref name="TrialEnd"/> it names the event (an extended trial mails again).</param>
/// <param name="PriceAfterTrial">What is charged when the trial ends, or null not to say.</param>
/// <param name="Interval">"month", "year", "3 months"; shown after the price.</param>
public sealed record TrialEndingMail(
    string Recipient, string? Name, string SubscriptionId, string Description, DateTimeOffset TrialEnd, Uri PortalUrl,
    Money? PriceAfterTrial = null, string? Interval = null);
