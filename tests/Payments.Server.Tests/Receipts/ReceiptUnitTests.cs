using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Payments.Core;
using Payments.Core.Errors;
using Payments.Core.Money;
using Payments.Core.Payments;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Receipts;

namespace Payments.Server.Tests.Receipts;

/// <summary>Receipt numbers, the template and the settings, without a server.</summary>
public class ReceiptUnitTests
{
    private static readonly Merchant Shop = new("Shop", ["Street 1"], null);

    private static Payment Paid(string id = "pay_01m80bes039q4zc3de0aepx4ax", PaymentStatus status = PaymentStatus.Succeeded,
        string description = "Basic plan", long refunded = 0, DateTimeOffset? paidAt = null) => new()
    {
        Id = id, Plan = "basic", Description = description, AmountMinor = 1900, Currency = "EUR", Provider = "dummy",
        ProviderPaymentId = "dm_1", Status = status, RefundedMinor = refunded,
        CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
        PaidAt = paidAt ?? new DateTimeOffset(2025, 12, 31, 23, 30, 0, TimeSpan.Zero),
    };

    private static ReceiptOptions Options(Merchant? merchant = null, TimeZoneInfo? zone = null) =>
        new() { Merchant = merchant ?? Shop, CacheDirectory = "/tmp/unused", TimeZone = zone ?? TimeZoneInfo.Utc };

    [Theory]
    [InlineData("stripe", "Stripe")]
    [InlineData("newpay", "Newpay")]
    public void The_receipt_names_the_provider_as_its_descriptor_does(string provider, string onReceipt)
    {
        var payment = Paid();
        var receipt = Receipt.For(new Payment
        {
            Id = payment.Id, Plan = payment.Plan, Description = payment.Description, AmountMinor = payment.AmountMinor,
            Currency = payment.Currency, Provider = provider, Status = payment.Status, CreatedAt = payment.CreatedAt,
            UpdatedAt = payment.UpdatedAt, PaidAt = payment.PaidAt,
        }, Options(), provider == "stripe" ? "Stripe" : null);
        Assert.Equal(onReceipt, receipt.ProviderDisplayName);
        Assert.Contains(onReceipt, ReceiptTemplate.Render(receipt));
    }

    [Fact]
    public void The_refunded_total_is_money_in_the_payments_currency()
    {
        var payment = Paid(status: PaymentStatus.PartiallyRefunded, refunded: 450);
        Assert.Equal(new Money(450, Currency.EUR), payment.Refunded);
        Assert.Equal(payment.Refunded, Receipt.For(payment, Options()).Refunded);
    }

    [Fact]
    public void A_receipt_number_is_the_payment_id_grouped_for_reading_and_maps_back()
    {
        var number = ReceiptNumber.For("pay_01m80bes039q4zc3de0aepx4ax");
        Assert.Equal("R-01M80BES03-9Q4Z-C3DE-0AEP-X4AX", number);
        Assert.Equal("pay_01m80bes039q4zc3de0aepx4ax", ReceiptNumber.ToPaymentId(number));
        Assert.Equal("pay_01m80bes039q4zc3de0aepx4ax", ReceiptNumber.ToPaymentId("r-01m80bes039q4zc3de0aepx4ax"));
    }

    [Theory]
    [InlineData("pay_01m80bes039q4zc3de0aepx4ax")]
    [InlineData("R-123")]
    [InlineData("R-01M80BES03-9Q4Z-C3DE-0AEP-X4A!")]
    [InlineData("")]
    public void Text_that_is_not_a_receipt_number_maps_to_no_payment(string text) => Assert.Null(ReceiptNumber.ToPaymentId(text));

    [Fact]
    public void Different_payments_have_different_numbers()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => Ids.New("pay", DateTimeOffset.UnixEpoch)).ToList();
        Assert.Equal(ids.Count, ids.Select(ReceiptNumber.For).Distinct().Count());
    }

    [Theory]
    [InlineData(PaymentStatus.Created)]
    [InlineData(PaymentStatus.Pending)]
    [InlineData(PaymentStatus.Failed)]
    [InlineData(PaymentStatus.Canceled)]
    [InlineData(PaymentStatus.Expired)]
    [InlineData(PaymentStatus.Conflicted)]
    public void A_payment_that_was_never_paid_has_no_receipt(PaymentStatus status)
    {
        var error = Assert.Throws<PaymentsException>(() => Receipt.For(Paid(status: status), Options()));
        Assert.Equal(ErrorKind.Conflict, error.Kind);
    }

    [Theory]
    [InlineData(PaymentStatus.Succeeded, 0)]
    [InlineData(PaymentStatus.PartiallyRefunded, 500)]
    [InlineData(PaymentStatus.Refunded, 1900)]
    public void Paid_and_refunded_payments_have_a_receipt(PaymentStatus status, long refunded)
    {
        var receipt = Receipt.For(Paid(status: status, refunded: refunded), Options());
        Assert.Equal((Money.Of(1900, "EUR"), Money.Of(refunded, "EUR")), (receipt.Amount, receipt.Refunded));
    }

    [Fact]
    public void Dates_are_printed_in_the_configured_time_zone()
    {
        var utc = Receipt.For(Paid(), Options());
        var copenhagen = Receipt.For(Paid(), Options(zone: TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen")));
        Assert.Equal(("2025-12-31", "2025-12-31 23:30 UTC"), (utc.PaidDate, utc.PaidDateTime));
        Assert.Equal(("2026-01-01", "2026-01-01 00:30 (Europe/Copenhagen)"), (copenhagen.PaidDate, copenhagen.PaidDateTime));
    }

    [Fact]
    public void The_template_encodes_every_name_and_is_the_same_every_time()
    {
        var merchant = new Merchant("<script>alert(1)</script> & Co", ["<b>Main St</b>"], "\"><img src=x>");
        var receipt = Receipt.For(Paid(description: "<iframe src=//evil>"), Options(merchant));

        var html = ReceiptTemplate.Render(receipt);

        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<iframe", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("<b>Main", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co", html);
        Assert.Equal(html, ReceiptTemplate.Render(receipt)); // the PDF cache is keyed by this text
    }

    [Fact]
    public void The_template_shows_a_refund_only_when_there_is_one()
    {
        Assert.DoesNotContain("Refunded", ReceiptTemplate.Render(Receipt.For(Paid(), Options())));
        var partly = ReceiptTemplate.Render(Receipt.For(Paid(status: PaymentStatus.PartiallyRefunded, refunded: 500), Options()));
        Assert.Contains(">-5.00 EUR<", partly);
        Assert.Contains(">14.00 EUR<", partly);
    }

    [Theory]
    [InlineData(@"Vestergade 1\n5970 Ærøskøbing\nDanmark")]
    [InlineData("Vestergade 1\n5970 Ærøskøbing\r\n\nDanmark\n")]
    public void The_merchant_address_takes_real_or_written_newlines(string address) =>
        Assert.Equal(["Vestergade 1", "5970 Ærøskøbing", "Danmark"], ReceiptOptions.AddressLines(address));

    [Theory]
    [InlineData("RECEIPT_TIME_ZONE", "Mars/Olympus")]
    [InlineData("PDF_ENGINE_TIMEOUT_SECONDS", "0")]
    [InlineData("PDF_ENGINE_CONCURRENCY", "many")]
    public void A_bad_setting_is_refused_naming_it(string name, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(name, value)]).Build();
        var error = Assert.Throws<InvalidOperationException>(() => ReceiptOptions.From(configuration, new Env()));
        Assert.Contains($"{name}='{value}'", error.Message);
    }

    [Fact]
    public void Without_settings_the_merchant_is_a_visible_placeholder_and_pdfs_live_under_data()
    {
        var options = ReceiptOptions.From(new ConfigurationBuilder().Build(), new Env());
        Assert.Equal(ReceiptOptions.PlaceholderMerchantName, options.Merchant.Name);
        Assert.Equal(Path.Combine("/srv/payments", "data", "receipts"), options.CacheDirectory);
        Assert.Equal(TimeZoneInfo.Utc, options.TimeZone);
    }

    private sealed class Env : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";
        public string ApplicationName { get; set; } = "Payments.Server";
        public string ContentRootPath { get; set; } = "/srv/payments";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
