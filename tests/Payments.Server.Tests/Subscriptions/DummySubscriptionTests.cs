using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payments.Server.Tests.Billing;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Subscriptions;

/// <summary>
/// The newcomer's flow with the dummy provider only (issue 13, "done when"): billing information with an EU VAT number
/// (fake VIES), pro_monthly subscribed and paid on the dummy's page, a failed renewal (past_due), a retry (active, the
/// period advanced), cancel at the period's end, and the invoices' VAT on their receipts.
/// </summary>
public abstract class DummySubscriptionTests<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : BillingApp
{
    private PaymentsApp App => fixture.App;

    private static async Task<HttpResponseMessage> Post(HttpClient http, string path, string outcome) =>
        await http.PostAsync(path, new FormUrlEncodedContent([new("outcome", outcome)]));

    private async Task<(SubscriptionClient User, string Id)> SubscribedAndPaid(string? vat)
    {
        var user = new SubscriptionClient(App, SubscriptionClient.NewUser());
        await user.SetBillingInfo(vat);
        var created = await user.Subscribe("dummy");
        Assert.Equal("incomplete", created.Str("status"));
        Assert.StartsWith("sub_", created.Str("subscription_id"));
        var redirect = new Uri(created.Str("redirect_url"));
        Assert.StartsWith("/payments/simulate/subscriptions/dmsub_", redirect.AbsolutePath);

        using var page = App.Client();
        using var paid = await Post(page, redirect.PathAndQuery, "succeeded");
        Assert.Equal(HttpStatusCode.SeeOther, paid.StatusCode);
        Assert.StartsWith("/payments/subscribed?subscription_id=" + created.Str("subscription_id"), paid.Headers.Location!.OriginalString);
        return (user, created.Str("subscription_id"));
    }

    private async Task<JsonElement> Renew(string id, string outcome)
    {
        using var page = App.Client();
        using var response = await Post(page, $"/payments/simulate/subscriptions/{id}/renew", outcome);
        var body = await response.Body();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body;
    }

    private async Task<int> PaymentsOf(string userId)
    {
        await using var db = App.Db();
        return await db.Context.Payments.CountAsync(p => p.OwnerId == userId);
    }

    [Fact]
    public async Task Newcomer_subscribes_pays_fails_a_renewal_recovers_and_cancels_at_period_end_with_the_dummy()
    {
        var (user, id) = await SubscribedAndPaid(SubscriptionClient.GermanVat());
        using var _ = user;
        var active = await user.Get(id);
        Assert.Equal(("active", "pro_monthly", "dummy", false), (active.Str("status"), active.Str("price"), active.Str("provider"),
            active.GetProperty("cancel_at_period_end").GetBoolean()));
        var firstEnd = active.GetProperty("current_period_end").GetDateTimeOffset();
        Assert.Equal(active.GetProperty("current_period_start").GetDateTimeOffset().AddMonths(1), firstEnd);
        Assert.Equal(1, await PaymentsOf(user.User));

        var failed = await Renew(id, "failed");
        Assert.Equal("past_due", failed.Str("status"));
        var pastDue = await user.Get(id);
        Assert.Equal("past_due", pastDue.Str("status"));
        Assert.Equal(firstEnd, pastDue.GetProperty("current_period_start").GetDateTimeOffset());
        Assert.Equal(1, await PaymentsOf(user.User)); // a failed invoice is no payment

        await Renew(id, "succeeded"); // the retry of the open invoice
        var recovered = await user.Get(id);
        Assert.Equal("active", recovered.Str("status"));
        Assert.Equal(firstEnd.AddMonths(1), recovered.GetProperty("current_period_end").GetDateTimeOffset());
        Assert.Equal(2, await PaymentsOf(user.User)); // the renewal is a payment of its own

        var invoices = (await user.Invoices(id)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, invoices.Count);
        Assert.All(invoices, i => Assert.Equal(("paid", 2900L, 0L, 2900L, 2900L), (i.Str("status"), i.GetProperty("net").GetInt64(),
            i.GetProperty("vat").GetInt64(), i.GetProperty("total").GetInt64(), i.GetProperty("amount_paid").GetInt64())));
        Assert.NotEqual(invoices[0].Str("payment_id"), invoices[1].Str("payment_id"));

        var canceling = await user.Cancel(id, atPeriodEnd: true);
        Assert.Equal(("active", true), (canceling.Str("status"), canceling.GetProperty("cancel_at_period_end").GetBoolean()));
        Assert.True((await user.Get(id)).GetProperty("cancel_at_period_end").GetBoolean());
        Assert.False((await user.Resume(id)).GetProperty("cancel_at_period_end").GetBoolean());
        await user.Cancel(id, atPeriodEnd: true);
        await Renew(id, "succeeded"); // the period ends: the subscription with it
        Assert.Equal("canceled", (await user.Get(id)).Str("status"));
        Assert.Equal(2, await PaymentsOf(user.User));
    }

    [Fact]
    public async Task A_reverse_charge_customers_invoice_says_Reverse_charge_and_charges_no_VAT()
    {
        var vat = SubscriptionClient.GermanVat();
        var (user, id) = await SubscribedAndPaid(vat);
        using var _ = user;
        var invoice = (await user.Invoices(id)).GetProperty("items")[0];
        Assert.Equal(("0", "reverse_charge"), (invoice.Str("vat_rate"), invoice.Str("tax_rule")));

        var receipt = await user.Receipt(invoice.Str("payment_id"));
        Assert.Equal(("succeeded", 2900L, "EUR"), (receipt.Str("status"), receipt.GetProperty("amount").GetInt64(), receipt.Str("currency")));
        var tax = receipt.GetProperty("tax");
        Assert.Equal((2900L, 0L, 2900L, true, vat, BillingApp.MerchantVatId), (tax.GetProperty("net").GetInt64(), tax.GetProperty("vat").GetInt64(),
            tax.GetProperty("gross").GetInt64(), tax.GetProperty("reverse_charge").GetBoolean(), tax.Str("customer_vat_id"), tax.Str("merchant_vat_id")));
        Assert.Contains("Reverse charge", tax.Str("notice"));
        Assert.Contains("2006/112/EC", tax.Str("notice"));

        var html = await user.ReceiptHtml(invoice.Str("payment_id"));
        Assert.Contains("Reverse charge", html);
        Assert.Contains(vat, html);
        Assert.Contains(BillingApp.MerchantVatId, html);
        Assert.Contains("data-field=\"vat_amount\">0.00 EUR", html);
    }

    [Fact]
    public async Task A_consumer_pays_the_price_plus_VAT_at_their_countrys_rate_and_the_receipt_shows_net_VAT_and_gross()
    {
        var (user, id) = await SubscribedAndPaid(vat: null);
        using var _ = user;
        var invoice = (await user.Invoices(id)).GetProperty("items")[0];
        Assert.Equal((2900L, "19", 551L, 3451L, 3451L), (invoice.GetProperty("net").GetInt64(), invoice.Str("vat_rate"), invoice.GetProperty("vat").GetInt64(),
            invoice.GetProperty("total").GetInt64(), invoice.GetProperty("amount_paid").GetInt64()));
        var receipt = await user.Receipt(invoice.Str("payment_id"));
        Assert.Equal(3451L, receipt.GetProperty("amount").GetInt64());
        Assert.False(receipt.GetProperty("tax").GetProperty("reverse_charge").GetBoolean());
        var html = await user.ReceiptHtml(invoice.Str("payment_id"));
        Assert.DoesNotContain("Reverse charge", html);
        Assert.Contains("VAT 19 %", html);
        Assert.Contains("data-field=\"gross_amount\">34.51 EUR", html);
    }

    [Fact]
    public async Task Another_users_subscription_is_404_and_a_list_holds_only_ones_own()
    {
        var (owner, id) = await SubscribedAndPaid(vat: null);
        using var _ = owner;
        using var stranger = new SubscriptionClient(App, SubscriptionClient.NewUser());
        await stranger.Send(HttpMethod.Get, $"/api/v1/subscriptions/{id}", expected: HttpStatusCode.NotFound);
        await stranger.Send(HttpMethod.Get, $"/api/v1/subscriptions/{id}/invoices", expected: HttpStatusCode.NotFound);
        await stranger.Send(HttpMethod.Post, $"/api/v1/subscriptions/{id}/cancel", new { at_period_end = false }, HttpStatusCode.NotFound);
        Assert.Empty((await stranger.Send(HttpMethod.Get, "/api/v1/subscriptions")).GetProperty("items").EnumerateArray());
        Assert.Contains((await owner.Send(HttpMethod.Get, "/api/v1/subscriptions")).GetProperty("items").EnumerateArray(), s => s.Str("subscription_id") == id);

        using var admin = App.Client().As(Credentials.AdminKey);
        using var all = await admin.GetAsync("/api/v1/subscriptions");
        Assert.Contains((await all.Body()).GetProperty("items").EnumerateArray(), s => s.Str("subscription_id") == id);
    }

    [Fact]
    public async Task The_admin_page_lists_subscriptions_with_status_and_customers_with_their_VAT_status()
    {
        var vat = SubscriptionClient.GermanVat();
        var (user, id) = await SubscribedAndPaid(vat);
        using var _ = user;
        using var admin = App.Client();
        using (var signIn = await admin.SubmitForm("/admin/sign-in", "/admin/sign-in", ("credential", Credentials.AdminKey)))
            Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        using var page = await admin.GetAsync("/admin/subscriptions?status=active");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains(id, html);
        Assert.Contains(vat, html);
        Assert.Contains("data-field=\"vat_status\">valid", html);
        using var none = await admin.GetAsync("/admin/subscriptions?status=past_due");
        Assert.DoesNotContain(id, await none.Content.ReadAsStringAsync());
        using var anonymous = await App.Client().GetAsync("/admin/subscriptions");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }

    [Fact]
    public async Task The_portal_link_of_the_dummy_is_a_local_page_listing_the_customers_subscriptions()
    {
        var (user, id) = await SubscribedAndPaid(vat: null);
        using var _ = user;
        var portal = await user.Send(HttpMethod.Post, "/api/v1/billing/portal", new { });
        Assert.Equal("dummy", portal.Str("provider"));
        using var page = await App.Client().GetAsync(new Uri(portal.Str("url")).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(id, await page.Content.ReadAsStringAsync());
    }
}

public sealed class DummySubscriptionSqliteTests(BillingSqliteApp fixture) : DummySubscriptionTests<BillingSqliteApp>(fixture);

public sealed class DummySubscriptionPostgresTests(BillingPostgresApp fixture) : DummySubscriptionTests<BillingPostgresApp>(fixture);
