using System.Collections.Frozen;
using Payments.Core.Errors;
using Payments.Core.Money;

namespace Payments.Providers.Omise;

/// <summary>
/// Amounts as Omise counts them: a whole number of the currency's smallest unit (satang, yen, cents), which
/// for every currency Omise takes is the ISO 4217 minor unit (JPY 0 decimals, the others 2). Omise writes
/// currency codes in lower case ("thb"); ISO's upper case is read too, mixed case is not a code.
/// </summary>
public static class OmiseAmounts
{
    /// <summary>
    /// Currencies Omise charges in, and the decimals of its smallest unit: the home currencies of its
    /// countries (THB, JPY, SGD, MYR) and the ones it takes for multi-currency charges.
    /// </summary>
    public static readonly FrozenDictionary<string, int> Decimals = new Dictionary<string, int>
    {
        ["THB"] = 2, ["JPY"] = 0, ["SGD"] = 2, ["MYR"] = 2, ["USD"] = 2, ["EUR"] = 2, ["GBP"] = 2,
        ["AUD"] = 2, ["CAD"] = 2, ["CHF"] = 2, ["CNY"] = 2, ["DKK"] = 2, ["HKD"] = 2,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Our amount as Omise's (amount, lower-case currency); 422 for a currency Omise does not take.</summary>
    public static (long Amount, string Currency) ToOmise(Money money)
    {
        if (!Decimals.TryGetValue(money.Currency.Code, out var decimals) || decimals != money.Currency.Exponent)
            throw PaymentsException.Validation(
                $"Omise does not take {money.Currency.Code}; it charges in {string.Join(", ", Decimals.Keys.Order(StringComparer.Ordinal))}.")
                .With("currency", money.Currency.Code);
        if (money.Minor <= 0) throw PaymentsException.Validation("Omise charges and refunds must be positive.");
        return (money.Minor, money.Currency.Code.ToLowerInvariant());
    }

    /// <summary>Omise's (amount, currency) as money, or null when either is missing or not something Omise sends.</summary>
    public static Money? FromOmise(long? amount, string? currency) =>
        amount is { } value && value >= 0 && CurrencyOf(currency) is { } c ? new Money(value, c) : null;

    public static Currency? CurrencyOf(string? code)
    {
        if (code is not { Length: 3 }) return null;
        var upper = code.ToUpperInvariant();
        // "thb" (Omise's way) or "THB" (ISO's); "Thb" is neither.
        if (code != upper && code != code.ToLowerInvariant()) return null;
        return Decimals.ContainsKey(upper) && Currency.TryOfExactCode(upper, out var currency) ? currency : null;
    }
}
