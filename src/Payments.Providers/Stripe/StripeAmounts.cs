using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Payments.Core.Money;

namespace Payments.Providers.Stripe;

/// <summary>
/// Our minor units ⇄ Stripe's integer amounts. Stripe counts in "the currency's smallest unit",
/// which is the ISO 4217 minor unit except where Stripe says otherwise (docs.stripe.com/currencies):
/// <list type="bullet">
/// <item>MGA is zero-decimal at Stripe (ISO: 2), so only whole ariary can be charged;</item>
/// <item>ISK stays two-decimal at Stripe for backward compatibility (ISO: 0): 5 ISK is 500;</item>
/// <item>BHD, JOD, KWD, OMR, TND are three-decimal and the last digit must be 0.</item>
/// </list>
/// Other currencies with 3 or 4 ISO decimals (IQD, LYD, CLF, UYW) are not Stripe currencies we can
/// place exactly, so they are refused. Nothing is ever rounded: an amount that does not convert
/// exactly is refused on the way out and reported as "no amount" (a conflict) on the way in.
/// </summary>
public static class StripeAmounts
{
    private static readonly FrozenDictionary<string, int> DigitsDifferentFromIso =
        new Dictionary<string, int> { ["MGA"] = 0, ["ISK"] = 2 }.ToFrozenDictionary();

    private static readonly FrozenSet<string> ThreeDecimal = new[] { "BHD", "JOD", "KWD", "OMR", "TND" }.ToFrozenSet();

    /// <summary>Decimal places Stripe uses for <paramref name="currency"/>, or null when we cannot place it exactly.</summary>
    public static int? StripeDigits(Currency currency)
    {
        if (DigitsDifferentFromIso.TryGetValue(currency.Code, out var digits)) return digits;
        return currency.Exponent switch
        {
            0 or 2 => currency.Exponent,
            3 when ThreeDecimal.Contains(currency.Code) => 3,
            _ => null,
        };
    }

    /// <summary>Stripe's currency parameter: the ISO code in lower case.</summary>
    public static string CurrencyParameter(Currency currency) => currency.Code.ToLowerInvariant();

    /// <summary>The integer Stripe expects for <paramref name="money"/>; false (with why) when it cannot be sent exactly.</summary>
    public static bool TryToStripe(Money money, out long amount, [NotNullWhen(false)] out string? why)
    {
        amount = 0;
        why = null;
        if (StripeDigits(money.Currency) is not { } digits)
        {
            why = $"Stripe cannot take {money.Currency.Code} amounts exactly (no known Stripe decimal places for it).";
            return false;
        }
        var shift = digits - money.Currency.Exponent;
        if (shift >= 0)
        {
            try
            {
                amount = checked(money.Minor * Pow10(shift));
            }
            catch (OverflowException)
            {
                why = $"{money} is too large for Stripe.";
                return false;
            }
        }
        else if (money.Minor % Pow10(-shift) != 0)
        {
            why = $"Stripe charges {money.Currency.Code} in whole units only; {money} would have to be rounded.";
            return false;
        }
        else amount = money.Minor / Pow10(-shift);

        if (digits == 3 && amount % 10 != 0)
        {
            why = $"Stripe needs the last digit of a {money.Currency.Code} amount to be 0; {money} would have to be rounded.";
            return false;
        }
        return true;
    }

    /// <summary>What Stripe reported, in our units; null for an unknown currency or an amount with more precision than ours.</summary>
    /// <summary>
    /// Stripe writes ISO 4217 codes in lower case (<c>eur</c>), its own convention: converted here, explicitly,
    /// and nothing else is (an upper-case or mixed-case code is not what Stripe sends: null).
    /// </summary>
    public static Currency? CurrencyOf(string? stripeCode) =>
        stripeCode is { Length: 3 } && stripeCode.All(char.IsAsciiLetterLower) && Currency.TryOfExactCode(stripeCode.ToUpperInvariant(), out var currency)
            ? currency
            : null;

    public static Money? FromStripe(long? amount, string? currencyCode)
    {
        if (amount is not { } value || CurrencyOf(currencyCode) is not { } currency || StripeDigits(currency) is not { } digits)
            return null;
        var shift = digits - currency.Exponent;
        if (shift >= 0)
            return value % Pow10(shift) == 0 ? new Money(value / Pow10(shift), currency) : null;
        try
        {
            return new Money(checked(value * Pow10(-shift)), currency);
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static long Pow10(int exponent)
    {
        long result = 1;
        for (var i = 0; i < exponent; i++) result *= 10;
        return result;
    }
}
