using System.Collections.Frozen;
using Payments.Core.Errors;
using Payments.Core.Money;

namespace Payments.Providers.MobilePay;

/// <summary>
/// Our money ⇄ the ePayment API's <c>amount{currency, value}</c>. Vipps takes minor units with two
/// decimals, as ISO 4217 has them for its three currencies, so no scaling happens: the only decisions
/// are which currencies and amounts Vipps accepts at all, refused here by name before anything is sent.
/// </summary>
public static class MobilePayAmounts
{
    /// <summary>
    /// The ePayment API's currency enum, each with its smallest payment (developer.vippsmobilepay.com,
    /// "Minimum payment amounts": NOK 100 øre, DKK 1 øre, EUR 1 cent). A sales unit takes the currency of
    /// its country (Norway NOK, Denmark DKK, Finland EUR); Swedish users pay Norwegian shops in NOK, and
    /// no SEK sales unit exists, so SEK is refused like any other currency.
    /// </summary>
    public static readonly FrozenDictionary<string, long> MinimumMinor = new Dictionary<string, long>
    {
        ["NOK"] = 100, ["DKK"] = 1, ["EUR"] = 1,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The API's largest <c>value</c> (650,000.00).</summary>
    public const long MaximumMinor = 65_000_000;

    /// <summary>The amount as Vipps writes it, or why Vipps cannot be asked for it.</summary>
    public static string? Problem(Money amount)
    {
        var code = amount.Currency.Code;
        if (!MinimumMinor.TryGetValue(code, out var minimum))
            return $"Vipps MobilePay takes NOK, DKK and EUR (the currency of the sales unit's country), not {code}.";
        if (amount.Minor < minimum)
            return $"{amount} is below Vipps MobilePay's smallest {code} payment ({new Money(minimum, amount.Currency)}).";
        if (amount.Minor > MaximumMinor)
            return $"{amount} is above Vipps MobilePay's largest payment ({new Money(MaximumMinor, amount.Currency)}).";
        return null;
    }

    /// <summary>As Vipps writes it; an amount it cannot take is a validation error (422), never sent.</summary>
    public static MobilePayAmount ToMobilePay(Money amount) =>
        Problem(amount) is { } why
            ? throw new PaymentsException(ErrorKind.Validation, why).With("amount", amount.Minor).With("currency", amount.Currency.Code)
            : new MobilePayAmount(amount.Currency.Code, amount.Minor);

    /// <summary>Vipps's amount as our money; null when the currency is not an upper-case ISO 4217 code or the value is missing or negative.</summary>
    public static Money? FromMobilePay(MobilePayAmount? amount) =>
        amount is { Currency: { } code, Value: >= 0 and var value } && Currency.TryOfExactCode(code, out var currency)
            ? new Money(value, currency)
            : null;
}
