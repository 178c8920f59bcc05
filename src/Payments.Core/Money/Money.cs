using System.Globalization;

namespace Payments.Core.Money;

/// <summary>
/// An amount of money: a whole number of minor units (cents, yen, fils) of one currency.
/// There is no <c>double</c> and no stored <c>decimal</c> anywhere in the money path; the
/// decimal form ("19.00") exists only at the edges, in <see cref="Parse"/> and
/// <see cref="ToDecimalString"/>, using the currency's ISO 4217 exponent.
/// Arithmetic refuses to mix currencies and refuses to overflow.
/// </summary>
public readonly record struct Money : IComparable<Money>
{
    /// <summary>Creates an amount; use <see cref="Of"/> when the currency may be null.</summary>
    public Money(long minor, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(currency);
        Minor = minor;
        Currency = currency;
    }

    /// <summary>Amount in minor units of <see cref="Currency"/> (1900 = 19.00 EUR, 1900 = 1900 JPY).</summary>
    public long Minor { get; }

    /// <summary>The currency; never null for a value built through a constructor or factory.</summary>
    public Currency Currency { get; }

    public static Money Of(long minor, string currencyCode) => new(minor, Currency.Of(currencyCode));

    public static Money Zero(Currency currency) => new(0, currency);

    public bool IsZero => Minor == 0;
    public bool IsNegative => Minor < 0;
    public bool IsPositive => Minor > 0;

    public static Money operator +(Money a, Money b) => new(checked(a.Minor + SameCurrency(a, b).Minor), a.Currency);
    public static Money operator -(Money a, Money b) => new(checked(a.Minor - SameCurrency(a, b).Minor), a.Currency);
    public static Money operator -(Money a) => new(checked(-a.Minor), a.Currency);
    public static bool operator <(Money a, Money b) => a.CompareTo(b) < 0;
    public static bool operator >(Money a, Money b) => a.CompareTo(b) > 0;
    public static bool operator <=(Money a, Money b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Money a, Money b) => a.CompareTo(b) >= 0;

    /// <summary>Compares two amounts of the same currency; mixed currencies have no order.</summary>
    public int CompareTo(Money other) => Minor.CompareTo(SameCurrency(this, other).Minor);

    /// <summary>
    /// <c>this × numerator / denominator</c>, rounded toward zero, computed in 128 bits so the
    /// intermediate product cannot overflow. Used for proportional splits (platform fees,
    /// credits taken back on a partial refund); the caller decides where the remainder goes.
    /// </summary>
    public Money MultiplyRatio(long numerator, long denominator)
    {
        if (denominator == 0) throw new DivideByZeroException("Ratio denominator is zero.");
        var product = (Int128)Minor * numerator / denominator;
        if (product > long.MaxValue || product < long.MinValue)
            throw new OverflowException($"{this} × {numerator}/{denominator} does not fit in minor units.");
        return new Money((long)product, Currency);
    }

    /// <summary>The amount as the currency writes it, without the code: "19.00", "1900", "1.250".</summary>
    public string ToDecimalString()
    {
        var exponent = Currency.Exponent;
        var magnitude = Minor < 0 ? -(Int128)Minor : Minor; // long.MinValue has no positive long
        var sign = Minor < 0 ? "-" : "";
        if (exponent == 0) return sign + magnitude.ToString(CultureInfo.InvariantCulture);
        var whole = magnitude / Currency.Factor;
        var fraction = magnitude % Currency.Factor;
        return string.Create(CultureInfo.InvariantCulture,
            $"{sign}{whole}.{fraction.ToString(CultureInfo.InvariantCulture).PadLeft(exponent, '0')}");
    }

    /// <summary>"19.00 EUR", "1900 JPY", "-0.005 KWD".</summary>
    public override string ToString() =>
        Currency is null ? $"{Minor} (no currency)" : $"{ToDecimalString()} {Currency.Code}";

    /// <summary>Parses "19.00 EUR" (or "19 EUR", "19.5 EUR"); see <see cref="TryParse(string?, out Money)"/>.</summary>
    public static Money Parse(string text) =>
        TryParse(text, out var money) ? money : throw new FormatException($"'{text}' is not an amount like '19.00 EUR'.");

    /// <summary>
    /// Parses "&lt;amount&gt; &lt;code&gt;". The amount may have at most as many decimals as
    /// the currency has (so "19.001 EUR" and "1.5 JPY" are refused, never rounded), no
    /// thousands separators and no exponent notation.
    /// </summary>
    public static bool TryParse(string? text, out Money money)
    {
        money = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2
               && Currency.TryOf(parts[1], out var currency)
               && TryParseAmount(parts[0], currency, out money);
    }

    /// <summary>
    /// Parses a plain decimal amount ("19.00", "-3.5", "1900") in the given currency exactly,
    /// as providers such as PayPal send it. Refuses anything that is not representable in
    /// whole minor units.
    /// </summary>
    public static bool TryParseAmount(string? amount, Currency currency, out Money money)
    {
        money = default;
        if (string.IsNullOrEmpty(amount) || currency is null) return false;
        var span = amount.AsSpan();
        var negative = span[0] == '-';
        if (negative || span[0] == '+') span = span[1..];
        var dot = span.IndexOf('.');
        var wholePart = dot < 0 ? span : span[..dot];
        var fractionPart = dot < 0 ? ReadOnlySpan<char>.Empty : span[(dot + 1)..];
        if (wholePart.IsEmpty || !IsDigits(wholePart)) return false;
        if (dot >= 0 && (fractionPart.IsEmpty || !IsDigits(fractionPart))) return false;
        if (fractionPart.Length > currency.Exponent) return false;

        if (wholePart.Length > 20 ||
            !Int128.TryParse(wholePart, NumberStyles.None, CultureInfo.InvariantCulture, out var whole)) return false;
        Int128 fraction = 0;
        if (!fractionPart.IsEmpty &&
            !Int128.TryParse(fractionPart, NumberStyles.None, CultureInfo.InvariantCulture, out fraction)) return false;
        for (var i = fractionPart.Length; i < currency.Exponent; i++) fraction *= 10;

        // 128 bits: the magnitude of long.MinValue does not fit in a long until it is negated.
        var magnitude = whole * currency.Factor + fraction;
        var minor = negative ? -magnitude : magnitude;
        if (minor > long.MaxValue || minor < long.MinValue) return false;
        money = new Money((long)minor, currency);
        return true;
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (c is < '0' or > '9') return false;
        return true;
    }

    private static Money SameCurrency(Money a, Money b)
    {
        if (a.Currency is null || b.Currency is null || a.Currency != b.Currency)
            throw new CurrencyMismatchException(a.Currency, b.Currency);
        return b;
    }
}

/// <summary>Thrown when two amounts of different currencies meet in arithmetic or comparison.</summary>
public sealed class CurrencyMismatchException(Currency? left, Currency? right)
    : InvalidOperationException($"Cannot combine {left?.Code ?? "no currency"} with {right?.Code ?? "no currency"}.");
