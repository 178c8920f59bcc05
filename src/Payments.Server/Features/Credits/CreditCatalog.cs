using System.Globalization;
using Payments.Core.Credits;
using Payments.Core.Errors;
using Payments.Providers.Common;

namespace Payments.Server.Features.Credits;

/// <summary>A bundle of credits people can buy by its id; its price is always credits × 1 US cent.</summary>
public sealed record CreditPackage(string Id, string Name, long Credits)
{
    public Core.Money.Money Price => CreditRules.PriceOf(Credits);
}

/// <summary>
/// Credit packages from configuration (section <c>CreditPackages</c>:
/// <c>CreditPackages__starter__Credits=1000</c>, <c>CreditPackages__starter__Name=Starter</c>) and
/// the range of custom amounts (<c>CREDITS_MIN</c>, <c>CREDITS_MAX</c>). With no packages configured
/// the defaults are starter 1,000, pro 5,000 and business 20,000 credits ($10, $50, $200). Bad values
/// stop start-up naming the setting.
/// </summary>
public sealed class CreditCatalog
{
    public const long DefaultMin = 100;
    public const long DefaultMax = 100_000;

    /// <summary>Far below what a long can price, and far above any sane single purchase ($10 million).</summary>
    private const long Ceiling = 1_000_000_000;

    private readonly Dictionary<string, CreditPackage> _packages = new(StringComparer.OrdinalIgnoreCase);

    public CreditCatalog(IConfiguration configuration)
    {
        foreach (var section in configuration.GetSection("CreditPackages").GetChildren())
        {
            var credits = Whole(section["Credits"], $"CreditPackages__{section.Key}__Credits", null);
            _packages[section.Key] = new CreditPackage(section.Key, section["Name"] ?? Capitalized(section.Key), credits);
        }
        if (_packages.Count == 0)
            foreach (var package in Defaults) _packages[package.Id] = package;
        Min = Whole(configuration.Value("CREDITS_MIN"), "CREDITS_MIN", DefaultMin);
        Max = Whole(configuration.Value("CREDITS_MAX"), "CREDITS_MAX", DefaultMax);
        if (Max < Min) throw new InvalidOperationException($"CREDITS_MAX ({Max}) is below CREDITS_MIN ({Min}).");
    }

    public static IReadOnlyList<CreditPackage> Defaults { get; } =
    [
        new("starter", "Starter", 1_000),
        new("pro", "Pro", 5_000),
        new("business", "Business", 20_000),
    ];

    /// <summary>Smallest custom amount of credits one can buy.</summary>
    public long Min { get; }

    /// <summary>Largest custom amount of credits one can buy.</summary>
    public long Max { get; }

    public IEnumerable<CreditPackage> Packages => _packages.Values.OrderBy(p => p.Credits).ThenBy(p => p.Id, StringComparer.Ordinal);

    public CreditPackage Package(string id) =>
        _packages.TryGetValue(id.Trim(), out var package)
            ? package
            : throw PaymentsException.Validation($"Unknown credit package '{id}'. Packages: {string.Join(", ", _packages.Keys)}.")
                .With("packages", _packages.Keys.ToArray());

    /// <summary>A custom amount, checked against <see cref="Min"/> and <see cref="Max"/>.</summary>
    public long Custom(long credits) =>
        credits >= Min && credits <= Max
            ? credits
            : throw PaymentsException.Validation(string.Create(CultureInfo.InvariantCulture,
                    $"'credits' must be a whole number from {Min:N0} to {Max:N0} (1 credit = 1 US cent)."))
                .With("min", Min).With("max", Max);

    private static long Whole(string? raw, string name, long? fallback)
    {
        if (raw is null or "")
            return fallback ?? throw new InvalidOperationException($"{name} is missing: give the package a number of credits.");
        return long.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= Ceiling
            ? n
            : throw new InvalidOperationException($"{name}='{raw}' must be a whole number of credits from 1 to {Ceiling}.");
    }

    private static string Capitalized(string key) => key.Length == 0 ? key : char.ToUpperInvariant(key[0]) + key[1..];
}
