using System.Net;
using System.Text.Json;
using System.Web;
using Payments.Server.Data;
using Payments.Server.Tests.Billing;
using Payments.Server.Tests.Fakes;
using Payments.Server.Tests.Fakes.Stripe;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Subscriptions;

/// <summary>The billing apps with mail on: a real SMTP server on loopback, and a priced catalog entry with a trial.</summary>
public abstract class SubscriptionMailApp(DatabaseKind engine) : BillingApp(engine)
{
    public const string Site = "https://shop.example/";

    public SmtpSink Sink { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["SMTP_URL"] = Sink.Url,
        ["MAIL_FROM"] = "Shop Billing <billing@shop.example>",
        ["SITE_BASE_URL"] = Site,
        ["MAIL_POLL_MILLISECONDS"] = "50",
        ["Catalog:Prices:trial_monthly:Product"] = "pro",
        ["Catalog:Prices:trial_monthly:Price"] = "29.00 EUR",
        ["Catalog:Prices:trial_monthly:Interval"] = "month",
        ["Catalog:Prices:trial_monthly:TrialDays"] = "14",
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Sink.DisposeAsync();
    }
}

public sealed class SubscriptionMailSqliteApp() : SubscriptionMailApp(DatabaseKind.Sqlite);

public sealed class SubscriptionMailPostgresApp() : SubscriptionMailApp(DatabaseKind.Postgres);

/// <summary>
/// Issue 13 item 7 on subscriptions: a failed renewal mails "payment failed" once per failed attempt, with a link to a
/// page of ours that opens the customer's portal whenever it is followed; a trial about to end mails once however
/// often Stripe says so; the paid invoice's receipt is mailed like any payment's.
/// </summary>
public abstract class SubscriptionMailTests<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : SubscriptionMailApp
{
    private PaymentsApp App => fixture.App;
    private SmtpSink Sink => fixture.Sink;

    private async Task<(SubscriptionClient User, string Email)> Customer()
    {
        var user = new SubscriptionClient(App, SubscriptionClient.NewUser());
        var email = $"{user.User}@customer.example";
        await user.Send(HttpMethod.Put, "/api/v1/billing/info", new
        {
            name = "Grace Hopper", email, vat_id = (string?)null,
            address = new { line1 = "Hauptstraße 1", line2 = (string?)null, city = "Berlin", postal_code = "10115", country = "DE" },
        });
        return (user, email);
    }

    private IReadOnlyList<MimeKit.MimeMessage> MailTo(string email) =>
        Sink.Messages.Where(m => m.Recipients.Contains(email)).Select(m => m.Message).ToList();

    private async Task Renew(string id, string outcome)
    {
        using var page = App.Client();
        using var response = await page.PostAsync($"/payments/simulate/subscriptions/{id}/renew", new FormUrlEncodedContent([new("outcome", outcome)]));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_failed_renewal_mails_payment_failed_once_per_attempt_with_a_portal_link_that_opens_the_portal()
    {
        var (user, email) = await Customer();
        using var _ = user;
        var created = await user.Subscribe("dummy");
        var id = created.Str("subscription_id");
        using (var page = App.Client())
        using (var paid = await page.PostAsync(new Uri(created.Str("redirect_url")).PathAndQuery, new FormUrlEncodedContent([new("outcome", "succeeded")])))
            Assert.Equal(HttpStatusCode.SeeOther, paid.StatusCode);
        // The first invoice's payment is a payment like any: its receipt is mailed, with the invoice's VAT (a German consumer: 19 %).
        await Sink.WaitFor(m => m.Any(x => x.Recipients.Contains(email)));
        var receipt = Assert.Single(MailTo(email)).TextBody!.Replace("\r\n", "\n");
        Assert.Contains("Net: 29.00 EUR\nVAT 19 %: 5.51 EUR\nTotal: 34.51 EUR", receipt);
        Assert.Contains("Our VAT number: " + BillingApp.MerchantVatId, receipt);

        await Renew(id, "failed");
        Assert.Equal("past_due", (await user.Get(id)).Str("status"));
        await Sink.WaitFor(m => m.Count(x => x.Recipients.Contains(email)) >= 2);
        await Task.Delay(300); // room for a second mail that must not come
        var failed = Assert.Single(MailTo(email), m => m.Subject!.StartsWith("Payment failed: "));
        Assert.Equal("Payment failed: Pro (pro_monthly), 34.51 EUR", failed.Subject); // a German consumer: 29.00 plus 19 % VAT
        var link = new Uri(System.Text.RegularExpressions.Regex.Match(failed.TextBody!, @"https://shop\.example/payments/billing-portal\?token=\S+").Value);

        // The link outlives any provider session: following it (no sign-in) opens a fresh one for this customer.
        using var browser = App.Client();
        using (var opened = await browser.GetAsync(link.PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
            Assert.StartsWith("/payments/simulate/portal/dmcus_", opened.Headers.Location!.AbsolutePath);
            using var portal = await browser.GetAsync(opened.Headers.Location.PathAndQuery);
            Assert.Contains(id, await portal.Content.ReadAsStringAsync());
        }
        // An altered token opens nothing.
        var token = HttpUtility.ParseQueryString(link.Query)["token"]!;
        using (var altered = await browser.GetAsync("/payments/billing-portal?token=" + Uri.EscapeDataString(token[..^2] + (token[^2] == 'A' ? "BB" : "AA"))))
            Assert.Equal(HttpStatusCode.Gone, altered.StatusCode);

        await Renew(id, "failed"); // the retry of the open invoice fails too: a second attempt, a second mail
        await Sink.WaitFor(m => m.Count(x => x.Recipients.Contains(email) && x.Message.Subject!.StartsWith("Payment failed: ")) >= 2);
        await Renew(id, "succeeded");
        Assert.Equal("active", (await user.Get(id)).Str("status"));
    }

    [Fact]
    public async Task A_trial_about_to_end_mails_once_however_often_Stripe_says_so()
    {
        var (user, email) = await Customer();
        using var _ = user;
        var created = await user.Subscribe("stripe", "trial_monthly");
        var session = new Uri(created.Str("redirect_url")).Segments[^1];
        foreach (var e in fixture.Stripe.CompleteSubscriptionCheckout(session))
            (await fixture.Stripe.DeliverAsync(e)).Dispose();
        var id = created.Str("subscription_id");
        Assert.Equal("trialing", (await user.Get(id)).Str("status"));

        var stripeId = fixture.Stripe.SubscriptionOf(session);
        for (var i = 0; i < 2; i++) // two events (two ids) about the same trial end, each delivered twice
        {
            var ending = fixture.Stripe.Emit("customer.subscription.trial_will_end", fixture.Stripe.Subscription(stripeId));
            using (var first = await fixture.Stripe.DeliverAsync(ending)) Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            using (var again = await fixture.Stripe.DeliverAsync(ending)) Assert.Equal("duplicate", (await again.Body()).Str("outcome"));
        }

        await Sink.WaitFor(m => m.Any(x => x.Recipients.Contains(email) && x.Message.Subject!.StartsWith("Your trial of ")));
        await Task.Delay(300);
        var mail = Assert.Single(MailTo(email), m => m.Subject!.StartsWith("Your trial of "));
        Assert.StartsWith("Your trial of Pro (trial_monthly) ends on ", mail.Subject);
        Assert.Contains("https://shop.example/payments/billing-portal?token=", mail.TextBody);
    }
}

public sealed class SubscriptionMailSqliteTests(SubscriptionMailSqliteApp fixture) : SubscriptionMailTests<SubscriptionMailSqliteApp>(fixture);

public sealed class SubscriptionMailPostgresTests(SubscriptionMailPostgresApp fixture) : SubscriptionMailTests<SubscriptionMailPostgresApp>(fixture);
