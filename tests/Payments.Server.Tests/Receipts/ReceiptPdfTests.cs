using System.Net;
using Payments.Core.Money;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Providers.Dummy;
using Payments.Server.Features.Receipts;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Receipts;

/// <summary>PDF receipts printed by the real headless Chromium, read back with pdftotext.</summary>
public abstract class ReceiptPdfTests<TApp>(TApp fixture) : ReceiptTestsBase<TApp>(fixture) where TApp : AppFixture
{
    private CountingPdfRenderer Engine => App.Get<CountingPdfRenderer>();
    private string ReceiptsDir => App.Get<ReceiptOptions>().CacheDirectory;

    private async Task<string> NumberOf(string paymentId)
    {
        using var http = Client();
        return (await (await http.GetAsync($"/api/v1/payment/receipt/{paymentId}")).Body()).Str("receipt_number");
    }

    private string[] CachedFiles(string number) => Directory.Exists(ReceiptsDir)
        ? Directory.GetFiles(ReceiptsDir, $"{number}-*.pdf")
        : [];

    [Theory]
    [InlineData("basic", "19.00 EUR", "Basic plan")]
    [InlineData("jp", "1900 JPY", ReceiptSetup.JapanesePlan)]
    [InlineData("th", "590.00 THB", ReceiptSetup.ThaiPlan)]
    public async Task The_pdf_is_an_attachment_whose_text_has_amount_names_in_any_script_and_the_merchant(
        string plan, string amount, string planName)
    {
        var (paymentId, dmId) = await PaidPayment(plan);
        var number = await NumberOf(paymentId);
        using var http = Client();

        var response = await http.GetAsync($"/api/v1/payment/receipt/{paymentId}/pdf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal(("attachment", $"receipt-{number}.pdf"), (disposition.DispositionType, disposition.FileName));
        var text = await PdfText.Extract(await response.Content.ReadAsByteArrayAsync());
        foreach (var expected in new[]
                 {
                     amount, planName, number, ReceiptSetup.MerchantName, "Vestergade 1 5970 Ærøskøbing Danmark", "VAT ID DK12345678",
                     "Receipt", "Total paid", "Paid with Dummy", dmId,
                 })
            Assert.Contains(expected, text);
    }

    [Fact]
    public async Task A_second_request_is_served_from_disk_and_a_deleted_file_is_printed_again()
    {
        var (paymentId, _) = await PaidPayment();
        var number = await NumberOf(paymentId);
        using var http = Client();

        var first = await http.GetByteArrayAsync($"/api/v1/payment/receipt/{paymentId}/pdf");
        var file = Assert.Single(CachedFiles(number));
        var written = File.GetLastWriteTimeUtc(file);
        var second = await http.GetByteArrayAsync($"/api/v1/payment/receipt/{paymentId}/pdf");

        Assert.Equal(1, Engine.PrintsOf(number));
        Assert.Equal(first, second);
        Assert.Equal(written, File.GetLastWriteTimeUtc(file));
        Assert.Equal(first, await File.ReadAllBytesAsync(file));

        File.Delete(file);
        var third = await http.GetByteArrayAsync($"/api/v1/payment/receipt/{paymentId}/pdf");

        Assert.Equal(2, Engine.PrintsOf(number));
        Assert.Equal(file, Assert.Single(CachedFiles(number)));
        Assert.Contains("19.00 EUR", await PdfText.Extract(third));
    }

    [Fact]
    public async Task Concurrent_first_requests_print_once_and_all_get_the_whole_file()
    {
        var (paymentId, _) = await PaidPayment("pro");
        var number = await NumberOf(paymentId);
        using var http = Client();

        var bodies = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => http.GetByteArrayAsync($"/api/v1/payment/receipt/{paymentId}/pdf")));

        Assert.Equal(1, Engine.PrintsOf(number));
        Assert.All(bodies, b => Assert.Equal(bodies[0], b));
        Assert.True(bodies[0].AsSpan().StartsWith("%PDF-"u8) && bodies[0].AsSpan().TrimEnd("\n\r "u8).EndsWith("%%EOF"u8));
        Assert.Empty(Directory.GetFiles(ReceiptsDir, "*.tmp"));
    }

    [Fact]
    public async Task A_refunded_payment_keeps_its_receipt_and_the_pdf_is_printed_again_showing_the_refund()
    {
        var (paymentId, dmId) = await PaidPayment();
        var number = await NumberOf(paymentId);
        using var http = Client();
        await http.GetByteArrayAsync($"/api/v1/payment/receipt/{paymentId}/pdf");
        var before = Assert.Single(CachedFiles(number));

        // A partial refund at the provider, learned through verify.
        var refund = await App.Get<DummyProvider>().RefundAsync(
            new RefundRequest(paymentId, dmId, null, Money.Of(500, "EUR"), $"re_{paymentId}"), CancellationToken.None);
        Assert.Equal(RefundStatus.Succeeded, refund.Status);
        await http.PostJson("/api/v1/payment/verify", new { payment_id = paymentId });
        Assert.Equal(PaymentStatus.PartiallyRefunded, (await Load(paymentId)).Status);

        var json = await (await http.GetAsync($"/api/v1/payment/receipt/{paymentId}")).Body();
        Assert.Equal(("partially_refunded", number, 500, "5.00 EUR", "19.00 EUR"),
            (json.Str("status"), json.Str("receipt_number"), json.GetProperty("refunded").GetInt64(), json.Str("refunded_display"), json.Str("amount_display")));
        var text = await PdfText.Extract(await http.GetByteArrayAsync($"/api/v1/payment/receipt/{paymentId}/pdf"));

        Assert.Equal(2, Engine.PrintsOf(number));
        Assert.Contains("19.00 EUR", text);
        Assert.Contains("Net paid", text);
        Assert.Contains("-5.00 EUR", text);
        Assert.Contains("14.00 EUR", text);
        Assert.Contains("partially refunded", text);
        Assert.NotEqual(before, Assert.Single(CachedFiles(number))); // the old print is gone
    }
}

public sealed class ReceiptPdfTests_Sqlite(SqliteReceiptsApp app) : ReceiptPdfTests<SqliteReceiptsApp>(app);

public sealed class ReceiptPdfTests_Postgres(PostgresReceiptsApp app) : ReceiptPdfTests<PostgresReceiptsApp>(app);

/// <summary>Without a PDF engine the PDF route says how to install one; the JSON and HTML receipts still work.</summary>
public abstract class ReceiptWithoutEngineTests<TApp>(TApp fixture) : ReceiptTestsBase<TApp>(fixture) where TApp : AppFixture
{
    [Fact]
    public async Task The_pdf_answers_503_with_an_install_hint_while_html_and_json_work()
    {
        var (paymentId, _) = await PaidPayment();
        using var http = Client();

        var pdf = await http.GetAsync($"/api/v1/payment/receipt/{paymentId}/pdf");

        await AssertProblem(pdf, HttpStatusCode.ServiceUnavailable, "dependency_missing");
        var detail = (await pdf.Body()).Str("detail");
        Assert.Contains("CHROMIUM_PATH='/nonexistent/chromium'", detail);
        Assert.Contains("apt-get install chromium", detail);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/v1/payment/receipt/{paymentId}")).StatusCode);
        Assert.Contains("19.00 EUR", await http.GetStringAsync($"/api/v1/payment/receipt/{paymentId}/html"));
    }
}

public sealed class ReceiptWithoutEngineTests_Sqlite(SqliteNoEngineApp app) : ReceiptWithoutEngineTests<SqliteNoEngineApp>(app);

public sealed class ReceiptWithoutEngineTests_Postgres(PostgresNoEngineApp app) : ReceiptWithoutEngineTests<PostgresNoEngineApp>(app);
