using System.Text.Json;
using Payments.Core.Money;
using Payments.Core.Providers;
using Payments.Providers.Omise;

namespace Payments.Providers.Tests.Omise;

/// <summary>Every charge and refund status Omise documents, and some it does not, in our words.</summary>
public class OmiseMapperTests
{
    [Theory]
    [InlineData("pending", ProviderPaymentStatus.Pending)]
    [InlineData("successful", ProviderPaymentStatus.Succeeded)]
    [InlineData("failed", ProviderPaymentStatus.Declined)]
    [InlineData("expired", ProviderPaymentStatus.Expired)]
    [InlineData("reversed", ProviderPaymentStatus.Canceled)]
    [InlineData("Successful", ProviderPaymentStatus.Unknown)]
    [InlineData("refunded", ProviderPaymentStatus.Unknown)]
    [InlineData("", ProviderPaymentStatus.Unknown)]
    [InlineData(null, ProviderPaymentStatus.Unknown)]
    public void Charge_statuses(string? status, ProviderPaymentStatus expected) =>
        Assert.Equal(expected, OmiseMapper.ChargeStatus(status));

    [Theory]
    [InlineData(null, RefundStatus.Succeeded)]
    [InlineData("closed", RefundStatus.Succeeded)]
    [InlineData("pending", RefundStatus.Pending)]
    [InlineData("failed", RefundStatus.Failed)]
    [InlineData("something_new", RefundStatus.Pending)]
    public void Refund_statuses(string? status, RefundStatus expected) =>
        Assert.Equal(expected, OmiseMapper.RefundStatusOf(status));

    private static OmiseCharge Charge(string status, bool paid = true, long amount = 190000, string currency = "thb", long refunded = 0,
        string? failureCode = null) =>
        new("charge", "chrg_test_1", amount, currency, status, paid, refunded, failureCode, failureCode is null ? null : "insufficient fund",
            "https://pay.omise.co/authorize", new Dictionary<string, JsonElement> { ["payment_id"] = JsonSerializer.SerializeToElement("pay_1") }, null);

    [Fact]
    public void A_paid_charge_is_a_success_for_its_amount_and_reports_what_was_refunded()
    {
        var payment = OmiseMapper.ToPayment(Charge("successful", refunded: 50000), "chrg_test_1");
        Assert.Equal((ProviderPaymentStatus.Succeeded, Money.Of(190000, "THB"), Money.Of(50000, "THB"), "pay_1"),
            (payment.Status, payment.Amount, payment.RefundedTotal, payment.PaymentId));
        Assert.Equal(ProviderEventKind.Refunded, OmiseMapper.EventKindOf(payment));
        Assert.Equal(ProviderEventKind.PaymentSucceeded, OmiseMapper.EventKindOf(OmiseMapper.ToPayment(Charge("successful"), "chrg_test_1")));
    }

    [Fact]
    public void A_charge_that_says_successful_but_unpaid_settles_nothing() =>
        Assert.Equal(ProviderPaymentStatus.Unknown, OmiseMapper.ToPayment(Charge("successful", paid: false), "chrg_test_1").Status);

    [Fact]
    public void A_failed_charge_carries_Omises_failure_code_and_message()
    {
        var payment = OmiseMapper.ToPayment(Charge("failed", paid: false, failureCode: "insufficient_fund"), "chrg_test_1");
        Assert.Equal((ProviderPaymentStatus.Declined, "insufficient_fund", "Omise: insufficient fund"), (payment.Status, payment.FailureCode, payment.FailureMessage));
        Assert.Equal(ProviderEventKind.PaymentFailed, OmiseMapper.EventKindOf(payment));
    }

    [Fact]
    public void Yen_are_whole_units()
    {
        var payment = OmiseMapper.ToPayment(Charge("successful", amount: 1900, currency: "jpy"), "chrg_test_1");
        Assert.Equal(Money.Of(1900, "JPY"), payment.Amount);
        Assert.Equal("1900 JPY", payment.Amount.ToString());
    }

    [Fact]
    public void A_currency_Omise_does_not_write_gives_no_amount()
    {
        Assert.Null(OmiseMapper.ToPayment(Charge("successful", currency: "Thb"), "chrg_test_1").Amount);
        Assert.Null(OmiseMapper.ToPayment(Charge("successful", currency: "kwd"), "chrg_test_1").Amount);
    }

    [Fact]
    public void The_customer_goes_to_the_authorize_uri_or_else_to_the_QR_code_Omise_hosts()
    {
        Assert.Equal("https://pay.omise.co/authorize", OmiseMapper.RedirectOf(Charge("pending"))!.AbsoluteUri);
        var qr = Charge("pending") with
        {
            AuthorizeUri = null,
            Source = new OmiseSource("src_1", "promptpay", new OmiseScannableCode(new OmiseDocument("https://api.omise.co/charges/chrg_test_1/documents/docu_1/downloads/ABC"))),
        };
        Assert.Equal("https://api.omise.co/charges/chrg_test_1/documents/docu_1/downloads/ABC", OmiseMapper.RedirectOf(qr)!.AbsoluteUri);
        Assert.Null(OmiseMapper.RedirectOf(Charge("pending") with { AuthorizeUri = "javascript:alert(1)" }));
    }
}
