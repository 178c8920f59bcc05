using System.Net;
using System.Text.RegularExpressions;
using Payments.Core.Payments;
using Payments.Server.Tests.Payments;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Receipts;

/// <summary>Receipts of paid payments through the dummy flow, on each database: shared helpers.</summary>
public abstract class ReceiptTestsBase<TApp>(TApp fixture) : PaymentFlowTestsBase<TApp>(fixture) where TApp : AppFixture
{
    /// <summary>Receipts need sign-in: these tests buy and read as one user, who owns the payments.</summary>
    protected const string Owner = "receipt-owner";

    protected override HttpClient Client() => App.Client().As(Credentials.Jwt(Owner));

    /// <summary>create-intent, then "Pay" on the dummy's checkout page: a succeeded payment.</summary>
    protected async Task<(string PaymentId, string DmId)> PaidPayment(string plan = "basic")
    {
        var (paymentId, dmId) = await NewPendingPayment(plan);
        using var http = Client();
        var submit = await http.PayDummy(dmId);
        Assert.Equal(HttpStatusCode.SeeOther, submit.StatusCode);
        Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);
        return (paymentId, dmId);
    }

    protected static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, (await response.Body()).Str("code"));
    }
}

/// <summary>The JSON receipt and the HTML page.</summary>
public abstract class ReceiptTests<TApp>(TApp fixture) : ReceiptTestsBase<TApp>(fixture) where TApp : AppFixture
{
    [Fact]
    public async Task Receipts_need_sign_in_and_are_only_for_the_owner_or_an_admin()
    {
        var (paymentId, _) = await PaidPayment();
        foreach (var suffix in new[] { "", "/html", "/pdf" })
        {
            var path = $"/api/v1/payment/receipt/{paymentId}{suffix}";
            using var anonymous = App.Client();
            using var stranger = App.Client().As(Credentials.Jwt("someone-else"));
            using var admin = App.Client().As(Credentials.AdminKey);
            await AssertProblem(await anonymous.GetAsync(path), HttpStatusCode.Unauthorized, "unauthorized");
            await AssertProblem(await stranger.GetAsync(path), HttpStatusCode.NotFound, "not_found");
            if (suffix != "/pdf") Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(path)).StatusCode);
        }
    }

    [Fact]
    public async Task The_json_receipt_has_number_date_line_item_amount_provider_reference_and_status()
    {
        var (paymentId, dmId) = await PaidPayment();
        var paidAt = (await Load(paymentId)).PaidAt!.Value;
        using var http = Client();

        var response = await http.GetAsync($"/api/v1/payment/receipt/{paymentId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var r = await response.Body();
        Assert.Matches(@"^R-[0-9A-HJKMNP-TV-Z]{10}(-[0-9A-HJKMNP-TV-Z]{4}){4}$", r.Str("receipt_number"));
        Assert.Equal((paymentId, "succeeded", "basic", "Basic plan"), (r.Str("payment_id"), r.Str("status"), r.Str("plan"), r.Str("description")));
        Assert.Equal((1900, "EUR", "19.00 EUR"), (r.GetProperty("amount").GetInt64(), r.Str("currency"), r.Str("amount_display")));
        Assert.Equal(("dummy", dmId), (r.Str("provider"), r.Str("provider_reference")));
        Assert.Equal(paidAt, r.GetProperty("paid_at").GetDateTimeOffset());
        Assert.Equal(paidAt.UtcDateTime.ToString("yyyy-MM-dd"), r.Str("paid_date"));
        var merchant = r.GetProperty("merchant");
        Assert.Equal(ReceiptSetup.MerchantName, merchant.Str("name"));
        Assert.Equal(["Vestergade 1", "5970 Ærøskøbing", "Danmark"], merchant.GetProperty("address").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("DK12345678", merchant.Str("vat_id"));
        Assert.EndsWith($"/api/v1/payment/receipt/{paymentId}/pdf", r.Str("pdf_url"));
        Assert.EndsWith($"/api/v1/payment/receipt/{paymentId}/html", r.Str("html_url"));
    }

    [Fact]
    public async Task The_receipt_number_is_stable_and_finds_the_receipt_too()
    {
        var (paymentId, _) = await PaidPayment();
        using var http = Client();
        var first = await (await http.GetAsync($"/api/v1/payment/receipt/{paymentId}")).Body();
        var again = await (await http.GetAsync($"/api/v1/payment/receipt/{paymentId}")).Body();
        var (other, _) = await PaidPayment();
        var another = await (await http.GetAsync($"/api/v1/payment/receipt/{other}")).Body();

        var number = first.Str("receipt_number");
        Assert.Equal(number, again.Str("receipt_number"));
        Assert.NotEqual(number, another.Str("receipt_number"));
        var byNumber = await http.GetAsync($"/api/v1/payment/receipt/{number.ToLowerInvariant()}");
        Assert.Equal(HttpStatusCode.OK, byNumber.StatusCode);
        Assert.Equal(paymentId, (await byNumber.Body()).Str("payment_id"));
    }

    [Theory]
    [InlineData("jp", 1900, "JPY", "1900 JPY")]
    [InlineData("kw", 1250, "KWD", "1.250 KWD")]
    [InlineData("th", 59000, "THB", "590.00 THB")]
    public async Task Amounts_are_written_with_the_currencys_own_decimals(string plan, long minor, string currency, string display)
    {
        var (paymentId, _) = await PaidPayment(plan);
        using var http = Client();
        var r = await (await http.GetAsync($"/api/v1/payment/receipt/{paymentId}")).Body();
        Assert.Equal((minor, currency, display), (r.GetProperty("amount").GetInt64(), r.Str("currency"), r.Str("amount_display")));
        Assert.Contains($">{display}<", await http.GetStringAsync($"/api/v1/payment/receipt/{paymentId}/html"));
    }

    [Fact]
    public async Task The_html_receipt_shows_the_same_fields_and_loads_nothing()
    {
        var (paymentId, dmId) = await PaidPayment("jp");
        using var http = Client();
        var json = await (await http.GetAsync($"/api/v1/payment/receipt/{paymentId}")).Body();

        var response = await http.GetAsync($"/api/v1/payment/receipt/{paymentId}/html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        var text = WebUtility.HtmlDecode(html); // what a browser shows (Latin-1 letters arrive as &#NNN;)
        foreach (var expected in new[]
                 {
                     json.Str("receipt_number"), "1900 JPY", ReceiptSetup.JapanesePlan, dmId, "Dummy", ReceiptSetup.MerchantName,
                     "5970 Ærøskøbing", "DK12345678", "Total paid",
                 })
            Assert.Contains(expected, text);
        Assert.Contains("default-src 'none'", html);
        // No stylesheet, font, image or script from anywhere: Chromium prints it with the network off.
        Assert.DoesNotMatch(new Regex(@"<(link|script|img|iframe)\b|url\(|@import", RegexOptions.IgnoreCase), html);
    }

    [Fact]
    public async Task An_unpaid_payment_has_no_receipt_409()
    {
        var (paymentId, _) = await NewPendingPayment();
        using var http = Client();
        foreach (var suffix in new[] { "", "/html", "/pdf" })
        {
            var response = await http.GetAsync($"/api/v1/payment/receipt/{paymentId}{suffix}");
            await AssertProblem(response, HttpStatusCode.Conflict, "conflict");
            Assert.Equal("pending", (await response.Body()).Str("payment_status"));
        }
    }

    [Fact]
    public async Task A_failed_payment_has_no_receipt_409()
    {
        var (paymentId, dmId) = await NewPendingPayment();
        using var http = Client();
        await http.PayDummy(dmId, "failed");
        await AssertProblem(await http.GetAsync($"/api/v1/payment/receipt/{paymentId}"), HttpStatusCode.Conflict, "conflict");
    }

    [Theory]
    [InlineData("pay_doesnotexist")]
    [InlineData("R-01M80BES03-9Q4Z-C3DE-0AEP-X4AX")]
    public async Task An_unknown_payment_has_no_receipt_404(string id)
    {
        using var http = Client();
        foreach (var suffix in new[] { "", "/html", "/pdf" })
            await AssertProblem(await http.GetAsync($"/api/v1/payment/receipt/{id}{suffix}"), HttpStatusCode.NotFound, "not_found");
    }
}

public sealed class ReceiptTests_Sqlite(SqliteReceiptsApp app) : ReceiptTests<SqliteReceiptsApp>(app);

public sealed class ReceiptTests_Postgres(PostgresReceiptsApp app) : ReceiptTests<PostgresReceiptsApp>(app);
