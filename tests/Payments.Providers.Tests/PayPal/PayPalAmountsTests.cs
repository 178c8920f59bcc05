using Payments.Core.Errors;
using Payments.Core.Money;
using Payments.Providers.PayPal;

namespace Payments.Providers.Tests.PayPal;

public class PayPalAmountsTests
{
    [Theory]
    [InlineData("EUR", 1900, "19.00")]
    [InlineData("EUR", 1, "0.01")]
    [InlineData("USD", 14900, "149.00")]
    [InlineData("USD", 100000000001, "1000000000.01")]
    [InlineData("JPY", 1900, "1900")]
    [InlineData("JPY", 1, "1")]
    // ISO 4217 gives HUF and TWD two decimals; PayPal takes none. 1000.00 HUF is sent as "1000".
    [InlineData("HUF", 100000, "1000")]
    [InlineData("TWD", 1500, "15")]
    [InlineData("GBP", 2905, "29.05")]
    [InlineData("CHF", 10, "0.10")]
    public void Amounts_become_PayPal_decimal_strings_exactly(string currency, long minor, string expected)
    {
        var payPal = PayPalAmounts.ToPayPal(Money.Of(minor, currency));
        Assert.Equal((currency, expected), (payPal.CurrencyCode, payPal.Value));
    }

    [Theory]
    [InlineData("HUF", 100050, "no decimals")] // 1000.50 HUF would have to be rounded
    [InlineData("HUF", 1, "no decimals")]
    [InlineData("TWD", 1501, "no decimals")]
    [InlineData("KWD", 1000, "does not accept KWD")] // three decimals; PayPal does not take it at all
    [InlineData("CLF", 10000, "does not accept CLF")]
    [InlineData("BGN", 100, "does not accept BGN")]
    [InlineData("EUR", 0, "positive")]
    [InlineData("EUR", -100, "positive")]
    public void Amounts_PayPal_cannot_take_exactly_are_refused_with_422_never_rounded(string currency, long minor, string why)
    {
        var amount = Money.Of(minor, currency);
        Assert.False(PayPalAmounts.TryToPayPal(amount, out var payPal, out var reason));
        Assert.Null(payPal);
        Assert.Contains(why, reason);
        var error = Assert.Throws<PaymentsException>(() => PayPalAmounts.ToPayPal(amount));
        Assert.Equal(ErrorKind.Validation, error.Kind);
    }

    /// <summary>Every currency in PayPal's table, at every magnitude: what we send is read back as exactly what we meant.</summary>
    [Fact]
    public void Every_PayPal_currency_round_trips_exactly()
    {
        Assert.Equal(26, PayPalAmounts.Decimals.Count);
        foreach (var (code, decimals) in PayPalAmounts.Decimals)
        {
            var currency = Currency.Of(code); // every PayPal currency is an ISO 4217 currency we know
            Assert.True(decimals <= currency.Exponent, code);
            var step = (long)Math.Pow(10, currency.Exponent - decimals);
            foreach (var units in new long[] { 1, 7, 99, 100, 1234567, 999_999_999_999 })
            {
                var amount = new Money(units * step, currency);
                var payPal = PayPalAmounts.ToPayPal(amount);
                Assert.Equal(decimals, payPal.Value!.Contains('.') ? payPal.Value.Length - payPal.Value.IndexOf('.') - 1 : 0);
                Assert.Equal(amount, PayPalAmounts.FromPayPal(payPal));
            }
        }
    }

    [Theory]
    [InlineData("HUF", "1000", 100000)]
    [InlineData("JPY", "1900", 1900)]
    [InlineData("EUR", "19.00", 1900)]
    [InlineData("EUR", "19.5", 1950)]
    public void PayPal_amounts_are_read_into_minor_units(string currency, string value, long minor) =>
        Assert.Equal(Money.Of(minor, currency), PayPalAmounts.FromPayPal(new PayPalAmount(currency, value)));

    [Theory]
    [InlineData("EUR", "19.001")]
    [InlineData("JPY", "19.5")]
    [InlineData("EUR", "1e3")]
    [InlineData("XYZ", "1.00")]
    [InlineData("EUR", null)]
    [InlineData(null, "1.00")]
    [InlineData("EUR", "+19.00")] // PayPal's pattern has no '+'; found by the webhook fuzzer
    [InlineData("EUR", " 19.00")]
    [InlineData("EUR", "１９.００")]
    public void PayPal_amounts_that_are_not_exact_are_not_read(string? currency, string? value) =>
        Assert.Null(PayPalAmounts.FromPayPal(new PayPalAmount(currency, value)));

    [Theory]
    [InlineData("eur")]
    [InlineData("Eur")]
    [InlineData("EURO")]
    public void A_currency_code_PayPal_would_not_write_is_not_read_as_one(string code)
    {
        Assert.Null(PayPalAmounts.FromPayPal(new PayPalAmount(code, "19.00")));
        var resource = System.Text.Json.JsonDocument.Parse($"{{\"amount\":{{\"currency_code\":\"{code}\",\"value\":\"19.00\"}}}}").RootElement;
        Assert.NotNull(PayPalWebhookEvents.MoneyProblem(resource));
        Assert.Null(PayPalWebhookEvents.MoneyProblem(System.Text.Json.JsonDocument.Parse("{\"amount\":{\"currency_code\":\"EUR\"}}").RootElement));
    }
}
