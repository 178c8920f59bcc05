using Payments.Core.Errors;
using Payments.Core.Money;
using M = Payments.Core.Money.Money;
using Payments.Core.Payments;

namespace Payments.Core.Tests.Payments;

/// <summary>An amount a host's backend priced itself (create-intent with an amount, a vendor's order): exact or refused.</summary>
public sealed class HostAmountTests
{
    [Theory]
    [InlineData(12345L, "THB", 12345L, "THB")]
    [InlineData(1L, "JPY", 1L, "JPY")]
    [InlineData(HostFields.MaxAmountMinor, "EUR", HostFields.MaxAmountMinor, "EUR")]
    public void An_amount_in_minor_units_with_an_upper_case_currency_is_taken_as_it_is(long amount, string currency, long minor, string code) =>
        Assert.Equal(new M(minor, Currency.Of(code)), HostFields.Amount(amount, currency));

    [Theory]
    [InlineData(null, "EUR")]
    [InlineData(100L, null)]
    [InlineData(0L, "EUR")]
    [InlineData(-1L, "EUR")]
    [InlineData(HostFields.MaxAmountMinor + 1, "EUR")]
    [InlineData(100L, "eur")]
    [InlineData(100L, "XXX1")]
    public void Anything_else_is_a_validation_error_never_a_guess(long? amount, string? currency)
    {
        var e = Assert.Throws<PaymentsException>(() => HostFields.Amount(amount, currency));
        Assert.Equal(ErrorKind.Validation, e.Kind);
    }
}
