using Payments.Server.Data;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Payments.Core.Money;
using Payments.Core.Payments;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Pages;

/// <summary>The dashboard's pages over HTTP, on each database: timeline, refund form, webhook bodies, filters, revenue.</summary>
public abstract class AdminDashboardTests<TApp>(TApp fixture) : PageTestsBase<TApp>(fixture) where TApp : AppFixture
{
    [Fact]
    public async Task The_webhook_page_shows_how_many_deliveries_were_refused_and_why()
    {
        using (var http = App.Client())
        {
            var body = "{}"u8.ToArray();
            Assert.Equal(HttpStatusCode.BadRequest, (await http.Deliver(body, DummyEvents.Sign(body, secret: "forged"))).StatusCode);
        }
        using var admin = await Admin();

        var page = await admin.GetStringAsync("/admin/webhooks");

        Assert.Matches("<tr><td>dummy</td><td><code>signature_invalid</code></td><td>[1-9][0-9]*</td></tr>", page);
    }

    [Fact]
    public async Task The_timeline_shows_intent_checkout_webhook_with_its_signature_result_finalize_and_refunds_in_order()
    {
        var paymentId = await PaidPayment();
        using (var api = App.Client().As(Credentials.AdminKey))
            (await api.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 400, reason = "late" })).EnsureSuccessStatusCode();
        using var admin = await Admin();

        var page = await admin.GetStringAsync($"/admin/payments/{paymentId}");

        var titles = Regex.Matches(page, "<li class=\"[^\"]+\">\\s*<h3>([^<]+)</h3>").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(["Payment created", "Checkout opened at the provider", "Webhook payment.succeeded — signature verified", "Finalized: paid",
            "Refund requested", "Refund applied"], titles);
        Assert.Contains("Refund re_", page);
        Assert.Contains("of 4.00 EUR: <strong>succeeded</strong>", page);
        Assert.Matches("<summary>Raw body of evt_[0-9a-z]+ \\(hmac-sha256, applied\\)</summary>", page);
    }

    [Fact]
    public async Task Timeline_facts_show_audit_amounts_as_money_not_minor_units()
    {
        var paymentId = await PaidPayment();
        using (var api = App.Client().As(Credentials.AdminKey))
            (await api.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 400, reason = "late" })).EnsureSuccessStatusCode();
        using var admin = await Admin();

        var page = await admin.GetStringAsync($"/admin/payments/{paymentId}");

        Assert.Contains("<dt>amount</dt><dd>4.00 EUR</dd>", page);
        Assert.DoesNotContain("<dt>amount</dt><dd>400</dd>", page);
        Assert.Contains("<dt>refunded</dt><dd>4.00 EUR</dd>", page);
    }

    [Fact]
    public async Task A_conflict_stands_out_in_the_timeline()
    {
        var (paymentId, dmId) = await PendingPayment();
        var body = DummyEvents.Body("evt_short_" + Guid.NewGuid().ToString("N"), "payment.succeeded", dmId, 1, "EUR");
        using (var provider = App.Client())
            Assert.Equal(HttpStatusCode.Conflict, (await provider.Deliver(body, DummyEvents.Sign(body))).StatusCode);
        using var admin = await Admin();

        var page = await admin.GetStringAsync($"/admin/payments/{paymentId}");
        Assert.Contains("<li class=\"payment-conflict\">", page);
        Assert.Contains("<h3>Conflict: needs an operator</h3>", page);
        Assert.Contains("data-payment-status>conflicted</span>", page);
        Assert.DoesNotContain("id=\"refund-amount\"", page); // nothing to refund
    }

    [Fact]
    public async Task The_refund_form_refunds_part_of_a_payment_through_the_refund_rules()
    {
        var paymentId = await PaidPayment();
        using var admin = await Admin();

        var response = await admin.SubmitForm($"/admin/payments/{paymentId}", $"/admin/payments/{paymentId}/refund",
            ("amount", "5.50"), ("reason", "goodwill"), ("refundable", "1900"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Matches($"^/admin/payments/{paymentId}\\?refund=re_[0-9a-z]+$", response.Headers.Location!.ToString());
        var payment = await Load(paymentId);
        Assert.Equal((PaymentStatus.PartiallyRefunded, 550L), (payment.Status, payment.RefundedMinor));
        var page = await admin.GetStringAsync(response.Headers.Location);
        Assert.Matches("<p class=\"notice\" role=\"status\">Refund re_[0-9a-z]+ of 5.50 EUR: succeeded.</p>", page);
        Assert.Contains("<input type=\"hidden\" name=\"refundable\" value=\"1350\">", page);
    }

    [Fact]
    public async Task A_refund_form_sent_twice_refunds_once()
    {
        var paymentId = await PaidPayment();
        using var admin = await Admin();
        var page = await admin.GetStringAsync($"/admin/payments/{paymentId}");
        var form = () => Forms.FormWith(Forms.Token(page), ("amount", "1.00"), ("refundable", "1900"));

        var first = await admin.PostAsync($"/admin/payments/{paymentId}/refund", form());
        var second = await admin.PostAsync($"/admin/payments/{paymentId}/refund", form());

        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("changed since you looked at it", await second.Content.ReadAsStringAsync());
        Assert.Equal(1, await RefundRows(paymentId));
        Assert.Equal(100L, (await Load(paymentId)).RefundedMinor);
    }

    [Theory]
    [InlineData("5.001", 422)] // more decimals than EUR has: refused, never rounded
    [InlineData("0", 422)]
    [InlineData("-1.00", 422)]
    [InlineData("5,00", 422)]
    [InlineData("19.01", 409)] // more than was paid
    public async Task The_refund_form_refuses_amounts_it_cannot_refund_exactly(string amount, int status)
    {
        var paymentId = await PaidPayment();
        using var admin = await Admin();

        var response = await admin.SubmitForm($"/admin/payments/{paymentId}", $"/admin/payments/{paymentId}/refund", ("amount", amount));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains("<p class=\"error\" role=\"alert\">", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await RefundRows(paymentId));
        Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);
    }

    [Fact]
    public async Task A_refund_form_without_its_antiforgery_token_is_refused()
    {
        var paymentId = await PaidPayment();
        using var admin = await Admin();

        var forged = await admin.PostAsync($"/admin/payments/{paymentId}/refund", Forms.FormWith(null, ("amount", "1.00")));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(0, await RefundRows(paymentId));
    }

    [Fact]
    public async Task The_outgoing_page_shows_the_endpoints_and_a_delivery_being_retried_with_its_last_answer()
    {
        using var admin = await Admin();
        using var api = App.Client().As(Credentials.AdminKey);
        // Nothing listens on port 1 of loopback: every attempt fails at once, and is retried later.
        var created = await (await api.PostAsJsonAsync("/api/v1/webhook-endpoints",
            new { url = "http://127.0.0.1:1/hooks", events = new[] { "payment.succeeded" }, description = "<b>shop</b>" })).Body();
        var paymentId = await PaidPayment();
        try
        {
            string page;
            var until = DateTime.UtcNow.AddSeconds(20);
            do
            {
                await Task.Delay(200);
                page = await admin.GetStringAsync($"/admin/outgoing?endpoint={created.Str("id")}&status=pending");
            } while (!(page.Contains(paymentId) && Retried().IsMatch(page)) && DateTime.UtcNow < until);

            Assert.Contains(paymentId, page);
            Assert.Contains("http://127.0.0.1:1/hooks", page);
            Assert.Contains("&lt;b&gt;shop&lt;/b&gt;", page);
            Assert.Matches(Retried(), page); // attempted (connection refused: no status code), still pending
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/webhook-endpoints/{created.Str("id")}");
        }
    }

    private static Regex Retried() => new("<td>pending</td><td>[1-9][0-9]*</td><td>— ");

    [Fact]
    public async Task Webhook_bodies_are_shown_exactly_and_html_encoded()
    {
        var eventId = "evt_<script>alert(1)</script>_" + Guid.NewGuid().ToString("N");
        var body = Encoding.UTF8.GetBytes(
            $"{{\"id\":\"{eventId}\",\"type\":\"payment.succeeded\",\"payment_id\":\"dm_nobody\",\"amount\":1900,\"currency\":\"EUR\"}}");
        using (var provider = App.Client())
            (await provider.Deliver(body, DummyEvents.Sign(body))).EnsureSuccessStatusCode();
        using var admin = await Admin();

        var page = await admin.GetStringAsync("/admin/webhooks?outcome=unmatched");

        Assert.Contains(WebUtility.HtmlEncode(Encoding.UTF8.GetString(body)), page);
        Assert.DoesNotContain("<script>alert(1)</script>", page);
    }

    [Fact]
    public async Task A_long_webhook_body_is_shown_up_to_its_first_ShownBodyChars_characters()
    {
        var eventId = "evt_long_" + Guid.NewGuid().ToString("N");
        var tail = "TAIL_" + Guid.NewGuid().ToString("N");
        const int shown = global::Payments.Server.Features.Admin.WebhookEventsPage.ShownBodyChars;
        var padding = new string('a', shown) + tail;
        var text = $"{{\"id\":\"{eventId}\",\"type\":\"payment.succeeded\",\"payment_id\":\"dm_nobody\",\"amount\":1900,\"currency\":\"EUR\",\"note\":\"{padding}\"}}";
        var body = Encoding.UTF8.GetBytes(text);
        using (var provider = App.Client())
            (await provider.Deliver(body, DummyEvents.Sign(body))).EnsureSuccessStatusCode();
        using var admin = await Admin();

        var page = await admin.GetStringAsync("/admin/webhooks?outcome=unmatched");

        Assert.Contains(eventId, page);
        Assert.DoesNotContain(tail, page);
        Assert.Contains($"… the first {shown} of {text.Length} characters.", page);
    }

    [Fact]
    public async Task The_payments_table_filters_by_status_and_date_and_pages_with_the_filters_kept()
    {
        var failed = await PendingPayment();
        using (var customer = App.Client()) (await customer.PayDummy(failed.DmId, "failed")).Dispose();
        for (var i = 0; i < 26; i++) await PendingPayment();
        using var admin = await Admin();
        // The day the payment was made, from its row, not the clock now (a run may straddle midnight UTC).
        var created = (await Load(failed.PaymentId)).CreatedAt.UtcDateTime;
        var today = created.ToString("yyyy-MM-dd");

        var onlyFailed = await admin.GetStringAsync($"/admin?status=failed&from={today}&to={today}");
        Assert.Contains($">{failed.PaymentId}</a>", onlyFailed);
        Assert.DoesNotContain("status-pending", onlyFailed);
        Assert.DoesNotContain(">pending</span>", onlyFailed);

        var pending = await admin.GetStringAsync("/admin?status=pending");
        Assert.Matches("Page 1 of [2-9]", pending);
        Assert.Contains("<a href=\"/admin?status=pending&amp;page=2\" rel=\"next\">Next</a>", pending);
        Assert.Equal(25, Regex.Matches(pending, "<tr><th scope=\"row\">").Count);

        var yesterday = created.AddDays(-1).ToString("yyyy-MM-dd");
        Assert.Contains("No payments match.", await admin.GetStringAsync($"/admin?to={yesterday}"));
    }

    [Theory]
    [InlineData("from=22-11-2025", "'from' must be a date like 2025-11-22.")]
    [InlineData("status=paid", "Unknown status 'paid'.")]
    [InlineData("to=9999-12-31", "'to' must be a date like 2025-11-22.")]
    public async Task An_unreadable_filter_is_explained_on_the_page(string query, string message)
    {
        using var admin = await Admin();
        var response = await admin.GetAsync($"/admin?{query}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(message), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_revenue_page_charts_each_currency_on_its_own_with_exact_figures()
    {
        var euros = await PaidPayment("pro");
        await PaidPayment(DashboardPlans.Yen);
        using (var api = App.Client().As(Credentials.AdminKey))
            (await api.PostJson("/api/v1/payment/refund", new { payment_id = euros, amount = 901 })).EnsureSuccessStatusCode();
        using var admin = await Admin();

        var page = await admin.GetStringAsync("/admin/revenue?days=7");

        // The day the euro payment was paid, from its row, not the clock now (a run may straddle midnight UTC).
        var paidOn = (await Load(euros)).PaidAt!.Value.UtcDateTime.Date;
        var today = paidOn.ToString("yyyy-MM-dd");
        Assert.Contains("<svg class=\"chart\"", page);
        Assert.Contains("role=\"img\" aria-labelledby=\"chart-EUR-title chart-EUR-desc\"", page);
        Assert.Contains("role=\"img\" aria-labelledby=\"chart-JPY-title chart-JPY-desc\"", page);
        // Today's row holds every payment paid today, also those of this class's other tests: the
        // expected figures come from the rows themselves, summed here in minor units.
        await using var db = App.Db();
        var paidToday = (await db.Context.Payments.AsNoTracking().Where(p => p.PaidAt != null).ToListAsync())
            .Where(p => p.Status.IsPaid() && p.PaidAt!.Value.UtcDateTime.Date == paidOn).ToList();
        foreach (var currency in new[] { "EUR", "JPY" })
        {
            var rows = paidToday.Where(p => p.Currency == currency).ToList();
            var unit = Currency.Of(currency);
            string Figure(long minor) => new Money(minor, unit).ToDecimalString();
            var (gross, refunded) = (rows.Sum(p => p.AmountMinor), rows.Sum(p => p.RefundedMinor));
            var table = Regex.Match(page, $"<table data-currency=\"{currency}\">.*?</table>", RegexOptions.Singleline).Value;
            Assert.Contains($"<tr><th scope=\"row\">{today}</th><td class=\"num\">{rows.Count}</td><td class=\"num\">{Figure(gross)}</td>" +
                            $"<td class=\"num\">{Figure(refunded)}</td><td class=\"num\">{Figure(gross - refunded)}</td></tr>", table);
            Assert.Equal(7, Regex.Matches(table, "<th scope=\"row\">").Count); // every day of the period, paid or not
        }
        Assert.Equal(901L, paidToday.Single(p => p.Id == euros).RefundedMinor);
    }
}

/// <summary>The default plans plus one in a currency without decimals.</summary>
public static class DashboardPlans
{
    public const string Yen = "yen";

    public static Dictionary<string, string?> Settings() => Credentials.Settings(new()
    {
        [$"Plans:{Yen}:Name"] = "Yen plan",
        [$"Plans:{Yen}:Price"] = "1900 JPY",
    });
}

public abstract class DashboardApp(DatabaseKind engine) : AppFixture(engine)
{
    protected override IReadOnlyDictionary<string, string?> Settings => DashboardPlans.Settings();
}

public sealed class SqliteDashboardApp() : DashboardApp(DatabaseKind.Sqlite);

public sealed class PostgresDashboardApp() : DashboardApp(DatabaseKind.Postgres);

public sealed class AdminDashboardTests_Sqlite(SqliteDashboardApp app) : AdminDashboardTests<SqliteDashboardApp>(app);

public sealed class AdminDashboardTests_Postgres(PostgresDashboardApp app) : AdminDashboardTests<PostgresDashboardApp>(app);
