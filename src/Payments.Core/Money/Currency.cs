using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Payments.Core.Money;

/// <summary>
/// An ISO 4217 currency and its minor-unit exponent (EUR 2, JPY 0, KWD 3, CLF 4).
/// Instances exist only for codes in the table, so holding a <see cref="Currency"/> means
/// holding a currency whose exponent is known; compare them with <c>==</c>.
/// </summary>
public sealed class Currency : IEquatable<Currency>
{
    private static readonly FrozenDictionary<string, Currency> ByCode =
        Iso4217.All().ToFrozenDictionary(c => c.Code, c => new Currency(c.Code, c.Exponent));

    private Currency(string code, int exponent)
    {
        Code = code;
        Exponent = exponent;
        Factor = Pow10(exponent);
    }

    /// <summary>Upper-case three-letter code, e.g. <c>EUR</c>.</summary>
    public string Code { get; }

    /// <summary>Number of digits after the decimal point in the currency's minor unit.</summary>
    public int Exponent { get; }

    /// <summary>Minor units per major unit: 100 for EUR, 1 for JPY, 1000 for KWD.</summary>
    public long Factor { get; }

    /// <summary>Every currency this service accepts.</summary>
    public static IReadOnlyCollection<Currency> All => ByCode.Values;

    public static Currency EUR => Of("EUR");
    public static Currency USD => Of("USD");
    public static Currency JPY => Of("JPY");

    /// <summary>Looks a code up case-insensitively; throws <see cref="ArgumentException"/> for unknown codes.</summary>
    public static Currency Of(string code) =>
        TryOf(code, out var currency)
            ? currency
            : throw new ArgumentException($"'{code}' is not an ISO 4217 currency code this service accepts.", nameof(code));

    public static bool TryOf(string? code, [NotNullWhen(true)] out Currency? currency)
    {
        currency = null;
        if (code is null || code.Length != 3) return false;
        return ByCode.TryGetValue(code.ToUpperInvariant(), out currency);
    }

    /// <summary>
    /// Exactly an upper-case ISO 4217 code (<c>EUR</c>, never <c>eur</c>), for what providers report in
    /// events: a code in another case is not ISO 4217, so it is malformed rather than guessed at.
    /// Stripe writes codes in lower case by its own convention; its mapper upper-cases them explicitly first.
    /// </summary>
    public static bool TryOfExactCode(string? code, [NotNullWhen(true)] out Currency? currency)
    {
        currency = null;
        return code is { Length: 3 } && ByCode.TryGetValue(code, out currency);
    }

    public bool Equals(Currency? other) => ReferenceEquals(this, other);
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);
    public override int GetHashCode() => Code.GetHashCode(StringComparison.Ordinal);
    public override string ToString() => Code;

    private static long Pow10(int exponent)
    {
        long result = 1;
        for (var i = 0; i < exponent; i++) result *= 10;
        return result;
    }
}
