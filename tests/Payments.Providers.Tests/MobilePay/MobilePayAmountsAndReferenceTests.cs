using Payments.Core;
using Payments.Core.Errors;
using Payments.Core.Money;
using Payments.Providers.MobilePay;

namespace Payments.Providers.Tests.MobilePay;

public class MobilePayAmountsTests
{
    [Theory]
    [InlineData(49900, "NOK")]
    [InlineData(100, "NOK")]
    [InlineData(1, "DKK")]
    [InlineData(1, "EUR")]
    [InlineData(65_000_000, "EUR")]
    public void NOK_DKK_and_EUR_go_out_in_minor_units_unchanged(long minor, string currency)
    {
        var amount = MobilePayAmounts.ToMobilePay(Money.Of(minor, currency));
        Assert.Equal(new MobilePayAmount(currency, minor), amount);
        Assert.Equal(Money.Of(minor, currency), MobilePayAmounts.FromMobilePay(amount));
    }

    [Theory]
    [InlineData(1900, "SEK", "not SEK")]
    [InlineData(1900, "USD", "not USD")]
    [InlineData(1900, "JPY", "not JPY")]
    [InlineData(99, "NOK", "below")]
    [InlineData(0, "EUR", "below")]
    [InlineData(65_000_001, "DKK", "above")]
    public void Anything_else_is_refused_before_it_is_sent_saying_why(long minor, string currency, string why)
    {
        var error = Assert.Throws<PaymentsException>(() => MobilePayAmounts.ToMobilePay(Money.Of(minor, currency)));
        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Contains(why, error.Message);
    }

    [Theory]
    [InlineData("nok", 100L)]
    [InlineData("XXX1", 100L)]
    [InlineData("NOK", -1L)]
    [InlineData("NOK", null)]
    [InlineData(null, 100L)]
    public void An_amount_from_Vipps_that_is_not_exact_money_is_not_guessed_at(string? currency, long? value) =>
        Assert.Null(MobilePayAmounts.FromMobilePay(new MobilePayAmount(currency, value)));
}

public class MobilePayReferenceTests
{
    [Fact]
    public void A_reference_is_made_from_our_payment_id_and_leads_back_to_it()
    {
        var paymentId = Ids.New("pay", DateTimeOffset.UtcNow);
        var reference = MobilePayReference.For(paymentId);

        Assert.Equal("mp-" + paymentId[4..], reference);
        Assert.Matches("^[a-zA-Z0-9-]{8,50}$", reference);
        Assert.Equal(paymentId, MobilePayReference.PaymentIdOf(reference));
        Assert.True(MobilePayReference.IsOurs(reference));
        Assert.Equal(reference, MobilePayReference.For(paymentId)); // deterministic: a retried create names the same payment
    }

    [Theory]
    [InlineData("dm_01jd8x0000000000000000000a")]
    [InlineData("cs_test_a1b2c3")]
    [InlineData("5O190127TN364715T")]
    [InlineData("acme-shop-123-order123abc")]
    public void Other_providers_ids_and_references_made_elsewhere_lead_to_no_payment_of_ours(string id)
    {
        Assert.False(MobilePayReference.IsOurs(id));
        Assert.Null(MobilePayReference.PaymentIdOf(id));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("mp-with_underscore")]
    [InlineData("mp-../../escape")]
    [InlineData("mp-ø-not-ascii")]
    public void Only_what_the_API_allows_is_a_reference(string reference) => Assert.False(MobilePayReference.IsReference(reference));

    [Fact]
    public void An_id_that_cannot_make_a_reference_is_a_bug_not_input() =>
        Assert.Throws<InvalidOperationException>(() => MobilePayReference.For("pay_with_underscores_inside"));

    [Fact]
    public void Idempotency_keys_fit_Vipps_limit_and_a_long_one_maps_to_the_same_hash_each_time()
    {
        const string checkout = "pay_01jd8x0000000000000000000a-checkout";
        const string retry = "pay_01jd8x0000000000000000000a-capture-638800000000000000";
        Assert.Equal(checkout, MobilePayReference.IdempotencyKey(checkout));
        var hashed = MobilePayReference.IdempotencyKey(retry);
        Assert.Equal(50, hashed.Length);
        Assert.Equal(hashed, MobilePayReference.IdempotencyKey(retry));
        Assert.NotEqual(hashed, MobilePayReference.IdempotencyKey(retry + "1"));
    }
}
