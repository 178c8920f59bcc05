using System.Text;

namespace Payments.Core.Billing;

/// <summary>An EU VAT number in its canonical form: the member state's prefix and the number, no spaces ("DE123456789", "EL123456789").</summary>
/// <param name="Country">The member state's ISO 3166-1 code ("GR").</param>
/// <param name="Prefix">Its VAT prefix, VIES's <c>countryCode</c> ("EL").</param>
/// <param name="Number">What follows the prefix, VIES's <c>vatNumber</c>.</param>
public sealed record VatNumber(string Country, string Prefix, string Number)
{
    public override string ToString() => Prefix + Number;

    /// <summary>
    /// Reads what a person typed: spaces, dots, dashes and case do not matter. A number without a
    /// prefix takes <paramref name="defaultCountry"/>'s (the customer's address), and "GR…" is read as
    /// Greece's "EL…". Refused, with a sentence saying why: a number from outside the EU, or one that
    /// does not have its member state's shape (<see cref="EuMemberStates"/>).
    /// </summary>
    public static bool TryParse(string? text, string? defaultCountry, out VatNumber vat, out string? problem)
    {
        vat = null!;
        var clean = Clean(text);
        if (clean.Length == 0)
        {
            problem = "The VAT number is empty.";
            return false;
        }

        EuMemberState? state;
        string number;
        if (clean.Length >= 2 && char.IsAsciiLetterUpper(clean[0]) && char.IsAsciiLetterUpper(clean[1]))
        {
            var prefix = clean[..2];
            state = EuMemberStates.OfVatPrefix(prefix) ?? (prefix == "GR" ? EuMemberStates.OfCountry("GR") : null);
            if (state is null)
            {
                problem = $"'{prefix}' is not the VAT prefix of an EU member state; only EU VAT numbers (checked in VIES) are accepted.";
                return false;
            }
            number = clean[2..];
        }
        else if (EuMemberStates.OfCountry(defaultCountry) is { } home)
        {
            state = home;
            number = clean;
        }
        else
        {
            problem = "Write the VAT number with its member state's prefix, e.g. DE123456789.";
            return false;
        }

        if (!state.Format.IsMatch(number))
        {
            problem = $"'{state.VatPrefix}{number}' does not have the shape of a VAT number of {state.Name} (e.g. {state.Example}).";
            return false;
        }
        vat = new VatNumber(state.Country, state.VatPrefix, number);
        problem = null;
        return true;
    }

    private static string Clean(string? text)
    {
        if (text is null) return "";
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
            if (!char.IsWhiteSpace(c) && c is not ('.' or '-' or '/'))
                sb.Append(char.ToUpperInvariant(c));
        return sb.ToString();
    }
}
