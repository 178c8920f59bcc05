using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Payments.Core.Errors;
using Payments.Core.Money;

namespace Payments.Providers.PayPal;

/// <summary>
/// Our minor units ⇄ PayPal's decimal strings, exactly. PayPal has its own precision rules, which
/// differ from ISO 4217: HUF and TWD have two decimals in ISO 4217 but none at PayPal ("If you pass
/// a decimal amount, an error occurs"). So 1000.00 HUF (100000 minor units) is sent as "1000", and
/// 1000.50 HUF is refused here, before anything is sent: never rounded.
/// </summary>
public static class PayPalAmounts
{
    /// <summary>
    /// The currencies PayPal's REST API accepts and the decimals it accepts for each, from
    /// developer.paypal.com/docs/api/reference/currency-codes (INR from PayPal's later lists: in-country
    /// India accounts). Anything else is refused by name rather than sent and rejected by PayPal.
    /// </summary>
    public static readonly FrozenDictionary<string, int> Decimals = new Dictionary<string, int>
    {
        ["AUD"] = 2, ["BRL"] = 2, ["CAD"] = 2, ["CNY"] = 2, ["CZK"] = 2, ["DKK"] = 2, ["EUR"] = 2,
        ["HKD"] = 2, ["HUF"] = 0, ["ILS"] = 2, ["INR"] = 2, ["JPY"] = 0, ["MYR"] = 2, ["MXN"] = 2,
        ["TWD"] = 0, ["NZD"] = 2, ["NOK"] = 2, ["PHP"] = 2, ["PLN"] = 2, ["GBP"] = 2, ["RUB"] = 2,
        ["SGD"] = 2, ["SEK"] = 2, ["CHF"] = 2, ["THB"] = 2, ["USD"] = 2,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The amount as PayPal writes it, or why PayPal cannot be asked for exactly this amount.</summary>
    public static bool TryToPayPal(Money amount, [NotNullWhen(true)] out PayPalAmount? payPal, [NotNullWhen(false)] out string? why)
    {
        payPal = null;
        var code = amount.Currency.Code;
        if (!Decimals.TryGetValue(code, out var decimals))
        {
            why = $"PayPal does not accept {code}.";
            return false;
        }
        if (!amount.IsPositive)
        {
            why = $"PayPal amounts must be positive, not {amount}.";
            return false;
        }

        var exponent = amount.Currency.Exponent;
        Int128 units = amount.Minor; // in PayPal's smallest unit once scaled
        if (decimals < exponent)
        {
            var step = Pow10(exponent - decimals);
            if (units % step != 0)
            {
                why = $"{amount} cannot be charged through PayPal: PayPal takes {code} with {Plural(decimals)}, and this amount would need rounding.";
                return false;
            }
            units /= step;
        }
        else
        {
            units *= Pow10(decimals - exponent);
        }

        var text = decimals == 0
            ? units.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture,
                $"{units / Pow10(decimals)}.{(units % Pow10(decimals)).ToString(CultureInfo.InvariantCulture).PadLeft(decimals, '0')}");
        payPal = new PayPalAmount(code, text);
        why = null;
        return true;
    }

    /// <summary>As <see cref="TryToPayPal"/>; an amount PayPal cannot take exactly is a validation error (422).</summary>
    public static PayPalAmount ToPayPal(Money amount) =>
        TryToPayPal(amount, out var payPal, out var why)
            ? payPal
            : throw new PaymentsException(ErrorKind.Validation, why).With("amount", amount.Minor).With("currency", amount.Currency.Code);

    /// <summary>
    /// PayPal's amount in our minor units; null when the currency is unknown or the value is not an exact
    /// decimal as PayPal's pattern writes one (<c>-?[0-9]*.?[0-9]+</c>: no '+', no spaces, no exponent).
    /// </summary>
    public static Money? FromPayPal(PayPalAmount? amount) =>
        amount is { CurrencyCode: { } code, Value: { } value }
        && !value.StartsWith('+')
        && Currency.TryOfExactCode(code, out var currency) // PayPal writes ISO 4217 codes in upper case; "eur" is malformed
        && Money.TryParseAmount(value, currency, out var money)
            ? money
            : null;

    private static string Plural(int decimals) => decimals == 1 ? "1 decimal" : decimals == 0 ? "no decimals" : $"{decimals} decimals";

    private static Int128 Pow10(int exponent)
    {
        Int128 result = 1;
        for (var i = 0; i < exponent; i++) result *= 10;
        return result;
    }
}
