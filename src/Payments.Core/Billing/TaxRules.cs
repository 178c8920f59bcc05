using System.Globalization;

namespace Payments.Core.Billing;

/// <summary>Whether VAT is charged: <c>Reverse</c> for a valid VAT number of another EU member state (reverse charge).</summary>
/// <remarks>The names are Stripe's <c>tax_exempt</c> values, which mean the same.</remarks>
public enum TaxExemption { None, Reverse, Exempt }

/// <summary>Where a customer's VAT number stands with VIES.</summary>
public enum VatStatus
{
    /// <summary>No VAT number given.</summary>
    None,
    /// <summary>Given, not asked about yet.</summary>
    Pending,
    /// <summary>VIES says it is registered (with a consultation number when we named ourselves).</summary>
    Valid,
    /// <summary>VIES says it is not registered.</summary>
    Invalid,
    /// <summary>VIES could not answer (a member state down, too many requests, a timeout); asked again later, never taken as invalid.</summary>
    Unverified,
}

/// <summary>What VAT a customer is charged, and by which rule.</summary>
/// <param name="RateBasisPoints">Hundredths of a percent (1900 = 19 %); 0 when no VAT is charged.</param>
/// <param name="Country">Whose rate or whose VAT number decided it; null outside the EU.</param>
public sealed record TaxDecision(TaxExemption Exemption, int RateBasisPoints, TaxRule Rule, string? Country)
{
    /// <summary>"19", "25.5", "0".</summary>
    public string RatePercent => VatRates.Percent(RateBasisPoints);
}

public enum TaxRule
{
    /// <summary>A business with a valid VAT number of another member state: no VAT, the customer accounts for it (Directive 2006/112/EC art. 196).</summary>
    ReverseCharge,
    /// <summary>A customer in the EU without a valid foreign VAT number (a consumer, or a business of our own state): the customer country's standard rate.</summary>
    EuStandardRate,
    /// <summary>A customer outside the EU: no EU VAT is charged.</summary>
    OutsideEu,
}

/// <summary>
/// The tax rule (issue 13), a pure function of the customer, their VAT number's status and the merchant:
/// <list type="number">
/// <item>a VAT number VIES calls valid, of a member state other than <c>MERCHANT_COUNTRY</c> → reverse charge, no VAT;</item>
/// <item>otherwise a customer whose address is in the EU pays VAT at their country's standard rate (EU consumers:
/// the place of supply of electronic services is the customer's country). A number that is pending, unverified or
/// invalid is not yet proof of a business, so VAT is charged until VIES confirms it;</item>
/// <item>a customer outside the EU pays no EU VAT. Their <c>tax_exempt</c> stays <c>none</c>, not <c>exempt</c>: they are
/// not exempt from tax, the supply is outside the scope of EU VAT, and a provider that computes taxes itself (Stripe
/// Tax) should still tax them where the merchant is registered there. <c>exempt</c> is for customers declared exempt.</item>
/// </list>
/// A merchant without <c>MERCHANT_COUNTRY</c> is treated as established outside the EU: every valid EU VAT number is then
/// of "another" member state, which is what the reverse charge means for such a merchant.
/// </summary>
public static class TaxRules
{
    public static TaxDecision Decide(string customerCountry, VatNumber? vat, VatStatus status, string? merchantCountry, VatRates rates)
    {
        if (vat is not null && status == VatStatus.Valid && vat.Country != merchantCountry)
            return new TaxDecision(TaxExemption.Reverse, 0, TaxRule.ReverseCharge, vat.Country);
        if (EuMemberStates.IsMember(customerCountry))
            return new TaxDecision(TaxExemption.None, rates.StandardRate(customerCountry), TaxRule.EuStandardRate, customerCountry);
        return new TaxDecision(TaxExemption.None, 0, TaxRule.OutsideEu, null);
    }
}

/// <summary>Standard VAT rates per member state: <see cref="EuMemberStates"/>'s table, with overrides from configuration.</summary>
public sealed class VatRates
{
    private readonly Dictionary<string, int> _rates;

    private VatRates(Dictionary<string, int> rates) => _rates = rates;

    public static VatRates Default { get; } = new(EuMemberStates.All.ToDictionary(s => s.Country, s => s.StandardRateBasisPoints, StringComparer.Ordinal));

    /// <summary>The standard rate of a member state in basis points.</summary>
    public int StandardRate(string country) =>
        _rates.TryGetValue(country, out var rate) ? rate : throw new ArgumentException($"{country} is not an EU member state.", nameof(country));

    /// <summary>
    /// The table with some rates replaced (<c>VatRates__FI=25.5</c>: a percentage with at most two decimals,
    /// 0–100). Throws <see cref="InvalidOperationException"/> naming the setting for a country outside the EU
    /// or a rate that is not a percentage.
    /// </summary>
    public VatRates With(IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        var rates = new Dictionary<string, int>(_rates, StringComparer.Ordinal);
        foreach (var (rawCountry, rawRate) in overrides)
        {
            var country = rawCountry.Trim().ToUpperInvariant();
            if (!rates.ContainsKey(country))
                throw new InvalidOperationException($"VatRates__{rawCountry}: '{rawCountry}' is not an EU member state (ISO 3166-1 code, e.g. GR for Greece).");
            rates[country] = ParsePercent(rawRate) ?? throw new InvalidOperationException(
                $"VatRates__{rawCountry}='{rawRate}' is not a percentage from 0 to 100 with at most two decimals (e.g. 25.5).");
        }
        return new VatRates(rates);
    }

    /// <summary>2550 → "25.5", 1900 → "19".</summary>
    public static string Percent(int basisPoints)
    {
        var whole = (basisPoints / 100).ToString(CultureInfo.InvariantCulture);
        var hundredths = basisPoints % 100;
        return hundredths == 0 ? whole : $"{whole}.{hundredths.ToString("00", CultureInfo.InvariantCulture).TrimEnd('0')}";
    }

    /// <summary>"25.5" → 2550; exact, never rounded.</summary>
    internal static int? ParsePercent(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Trim().TrimEnd('%').Split('.');
        if (parts.Length > 2 || parts[0].Length is 0 or > 3 || !parts[0].All(char.IsAsciiDigit)) return null;
        var fraction = parts.Length == 2 ? parts[1] : "";
        if (parts.Length == 2 && (fraction.Length is 0 or > 2 || !fraction.All(char.IsAsciiDigit))) return null;
        var basisPoints = int.Parse(parts[0], CultureInfo.InvariantCulture) * 100 + int.Parse(fraction.PadRight(2, '0'), CultureInfo.InvariantCulture);
        return basisPoints <= 10_000 ? basisPoints : null;
    }
}
