namespace Payments.Core.Money;

/// <summary>
/// ISO 4217 list one (active codes, amendments through 2025) with each currency's minor-unit
/// exponent. Codes whose minor unit is "N.A." (precious metals, XDR, XSU, XUA, testing codes)
/// are left out on purpose: nobody takes a card payment in troy ounces of gold, and an
/// exponent we would have to invent is an exponent that would be wrong.
/// </summary>
internal static class Iso4217
{
    // One line per exponent keeps the exceptions (0, 3, 4) easy to review against the standard.
    private const string Zero = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";
    private const string Three = "BHD IQD JOD KWD LYD OMR TND";
    private const string Four = "CLF UYW";
    private const string Two =
        "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP " +
        "BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD " +
        "FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD " +
        "KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD " +
        "NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP " +
        "SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED " +
        "VES WST XCD XCG YER ZAR ZMW ZWG";

    public static IEnumerable<(string Code, int Exponent)> All()
    {
        foreach (var (codes, exponent) in new[] { (Zero, 0), (Two, 2), (Three, 3), (Four, 4) })
            foreach (var code in codes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                yield return (code, exponent);
    }
}
