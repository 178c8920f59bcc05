using System.Text.RegularExpressions;

namespace Payments.Core.Billing;

/// <summary>
/// One EU member state as VAT sees it: its ISO 3166-1 code, the prefix of its VAT numbers (Greece is
/// <c>EL</c>, not GR), the shape of the number after the prefix, and its standard VAT rate in basis
/// points (hundredths of a percent: 1900 = 19 %, 2550 = 25.5 %).
/// </summary>
public sealed record EuMemberState(string Country, string VatPrefix, string Name, int StandardRateBasisPoints, Regex Format, string Example);

/// <summary>
/// The 27 member states. Formats are the European Commission's VIES help ("VAT number format") without
/// check digits: VIES is the authority, the pattern only catches typos before we ask it. Standard rates are
/// those in force on 1 August 2025 (EE 24 % since 1 July 2025, FI 25.5 % since 1 September 2024,
/// RO 21 % since 1 August 2025, SK 23 % since 1 January 2025); a change is a configuration override
/// (<c>VatRates__FI=25.5</c>) until this table is updated.
/// <code>
/// state  prefix  after the prefix                          example          standard rate
/// AT     AT      U + 8 digits                              ATU12345678      20 %
/// BE     BE      10 digits, the first 0 or 1               BE0123456789     21 %
/// BG     BG      9 or 10 digits                            BG123456789      20 %
/// CY     CY      8 digits + a letter                       CY12345678X      19 %
/// CZ     CZ      8, 9 or 10 digits                         CZ12345678       21 %
/// DE     DE      9 digits                                  DE123456789      19 %
/// DK     DK      8 digits                                  DK12345678       25 %
/// EE     EE      9 digits                                  EE123456789      24 %
/// GR     EL      9 digits                                  EL123456789      24 %
/// ES     ES      a letter or digit, 7 digits, a letter or digit  ESX1234567X  21 %
/// FI     FI      8 digits                                  FI12345678       25.5 %
/// FR     FR      2 letters or digits (not I, O) + 9 digits FR12345678901    20 %
/// HR     HR      11 digits                                 HR12345678901    25 %
/// HU     HU      8 digits                                  HU12345678       27 %
/// IE     IE      7 digits + 1–2 letters, or digit, letter/+/*, 5 digits, letter  IE1234567WA  23 %
/// IT     IT      11 digits                                 IT12345678901    22 %
/// LT     LT      9 or 12 digits                            LT123456789      21 %
/// LU     LU      8 digits                                  LU12345678       17 %
/// LV     LV      11 digits                                 LV12345678901    21 %
/// MT     MT      8 digits                                  MT12345678       18 %
/// NL     NL      9 digits + B + 2 digits                   NL123456789B01   21 %
/// PL     PL      10 digits                                 PL1234567890     23 %
/// PT     PT      9 digits                                  PT123456789      23 %
/// RO     RO      2 to 10 digits, not starting with 0       RO1234567890     21 %
/// SE     SE      10 digits + 01                            SE123456789001   25 %
/// SI     SI      8 digits, not starting with 0             SI12345678       22 %
/// SK     SK      10 digits, not starting with 0            SK1234567890     23 %
/// </code>
/// </summary>
public static class EuMemberStates
{
    public static IReadOnlyList<EuMemberState> All { get; } =
    [
        State("AT", "AT", "Austria", 2000, @"U\d{8}", "ATU12345678"),
        State("BE", "BE", "Belgium", 2100, @"[01]\d{9}", "BE0123456789"),
        State("BG", "BG", "Bulgaria", 2000, @"\d{9,10}", "BG123456789"),
        State("CY", "CY", "Cyprus", 1900, @"\d{8}[A-Z]", "CY12345678X"),
        State("CZ", "CZ", "Czechia", 2100, @"\d{8,10}", "CZ12345678"),
        State("DE", "DE", "Germany", 1900, @"\d{9}", "DE123456789"),
        State("DK", "DK", "Denmark", 2500, @"\d{8}", "DK12345678"),
        State("EE", "EE", "Estonia", 2400, @"\d{9}", "EE123456789"),
        State("GR", "EL", "Greece", 2400, @"\d{9}", "EL123456789"),
        State("ES", "ES", "Spain", 2100, @"[0-9A-Z]\d{7}[0-9A-Z]", "ESX1234567X"),
        State("FI", "FI", "Finland", 2550, @"\d{8}", "FI12345678"),
        State("FR", "FR", "France", 2000, @"[0-9A-HJ-NP-Z]{2}\d{9}", "FR12345678901"),
        State("HR", "HR", "Croatia", 2500, @"\d{11}", "HR12345678901"),
        State("HU", "HU", "Hungary", 2700, @"\d{8}", "HU12345678"),
        State("IE", "IE", "Ireland", 2300, @"\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W]", "IE1234567WA"),
        State("IT", "IT", "Italy", 2200, @"\d{11}", "IT12345678901"),
        State("LT", "LT", "Lithuania", 2100, @"\d{9}|\d{12}", "LT123456789"),
        State("LU", "LU", "Luxembourg", 1700, @"\d{8}", "LU12345678"),
        State("LV", "LV", "Latvia", 2100, @"\d{11}", "LV12345678901"),
        State("MT", "MT", "Malta", 1800, @"\d{8}", "MT12345678"),
        State("NL", "NL", "Netherlands", 2100, @"\d{9}B\d{2}", "NL123456789B01"),
        State("PL", "PL", "Poland", 2300, @"\d{10}", "PL1234567890"),
        State("PT", "PT", "Portugal", 2300, @"\d{9}", "PT123456789"),
        State("RO", "RO", "Romania", 2100, @"[1-9]\d{1,9}", "RO1234567890"),
        State("SE", "SE", "Sweden", 2500, @"\d{10}01", "SE123456789001"),
        State("SI", "SI", "Slovenia", 2200, @"[1-9]\d{7}", "SI12345678"),
        State("SK", "SK", "Slovakia", 2300, @"[1-9]\d{9}", "SK1234567890"),
    ];

    private static readonly Dictionary<string, EuMemberState> ByCountry = All.ToDictionary(s => s.Country, StringComparer.Ordinal);
    private static readonly Dictionary<string, EuMemberState> ByPrefix = All.ToDictionary(s => s.VatPrefix, StringComparer.Ordinal);

    /// <summary>The member state with this ISO 3166-1 code ("GR", not "EL"), or null outside the EU.</summary>
    public static EuMemberState? OfCountry(string? country) =>
        country is not null && ByCountry.TryGetValue(country, out var state) ? state : null;

    /// <summary>The member state whose VAT numbers start with <paramref name="prefix"/> ("EL" is Greece), or null.</summary>
    public static EuMemberState? OfVatPrefix(string? prefix) =>
        prefix is not null && ByPrefix.TryGetValue(prefix, out var state) ? state : null;

    public static bool IsMember(string? country) => OfCountry(country) is not null;

    private static EuMemberState State(string country, string prefix, string name, int rate, string format, string example) =>
        new(country, prefix, name, rate, new Regex($"^(?:{format})$", RegexOptions.CultureInvariant), example);
}
