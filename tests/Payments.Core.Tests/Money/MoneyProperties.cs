using FsCheck;
using FsCheck.Fluent;
using Payments.Core.Money;
using M = Payments.Core.Money.Money;

namespace Payments.Core.Tests.Money;

/// <summary>Properties checked for every currency in the table, with random amounts including the extremes.</summary>
public class MoneyProperties
{
    private static readonly Currency[] Currencies = Currency.All.ToArray();

    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(2000);

    private static Arbitrary<M> AnyMoney() =>
        Gen.Elements(Currencies)
            .SelectMany(c => Gen.OneOf(
                    ArbMap.Default.GeneratorFor<long>(),
                    Gen.Choose(-1_000_000, 1_000_000).Select(i => (long)i),
                    Gen.Elements(long.MaxValue, long.MinValue, 0L, 1L, -1L, long.MaxValue - 1))
                .Select(minor => new M(minor, c)))
            .ToArbitrary();

    [Fact]
    public void Formatting_then_parsing_gives_back_the_same_amount() =>
        Prop.ForAll(AnyMoney(), m => M.Parse(m.ToString()) == m).Check(Config);

    [Fact]
    public void Decimal_form_has_exactly_the_currency_exponent_digits_after_the_point() =>
        Prop.ForAll(AnyMoney(), m =>
        {
            var text = m.ToDecimalString();
            var dot = text.IndexOf('.');
            return m.Currency.Exponent == 0 ? dot < 0 : text.Length - dot - 1 == m.Currency.Exponent;
        }).Check(Config);

    [Fact]
    public void Adding_then_subtracting_returns_the_start_or_reports_overflow() =>
        Prop.ForAll(AnyMoney(), ArbMap.Default.ArbFor<long>(), (a, raw) =>
        {
            var b = new M(raw, a.Currency);
            var exact = (Int128)a.Minor + b.Minor;
            if (exact > long.MaxValue || exact < long.MinValue)
                return Throws<OverflowException>(() => a + b);
            return (a + b) - b == a && a + b == b + a;
        }).Check(Config);

    [Fact]
    public void Different_currencies_never_combine() =>
        Prop.ForAll(AnyMoney(), AnyMoney(), (a, b) =>
            a.Currency == b.Currency || (Throws<CurrencyMismatchException>(() => a + b) && Throws<CurrencyMismatchException>(() => a.CompareTo(b))))
            .Check(Config);

    [Fact]
    public void Order_matches_minor_units_within_a_currency() =>
        Prop.ForAll(AnyMoney(), ArbMap.Default.ArbFor<long>(), (a, raw) =>
        {
            var b = new M(raw, a.Currency);
            return (a < b) == (a.Minor < b.Minor) && (a >= b) == (a.Minor >= b.Minor);
        }).Check(Config);

    [Fact]
    public void Amount_parsing_accepts_the_decimal_string_of_every_amount_and_nothing_more_precise() =>
        Prop.ForAll(AnyMoney(), m =>
        {
            var ok = M.TryParseAmount(m.ToDecimalString(), m.Currency, out var back) && back == m;
            var tooPrecise = m.ToDecimalString() + (m.Currency.Exponent == 0 ? ".5" : "5");
            return ok && !M.TryParseAmount(tooPrecise, m.Currency, out _);
        }).Check(Config);

    private static bool Throws<T>(Func<object> action) where T : Exception
    {
        try { action(); return false; }
        catch (T) { return true; }
    }
}
