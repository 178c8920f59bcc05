using System.Globalization;
using System.Text.RegularExpressions;

namespace Payments.Core.Billing;

/// <summary>One configured price as written (<c>Catalog__Prices__&lt;key&gt;__Product</c>, …), before it is checked.</summary>
public sealed record RawPrice(string Key, string? Product, string? Price, string? Interval, string? IntervalCount, string? TrialDays, string? Active);

/// <summary>One configured product as written (<c>Catalog__Products__&lt;id&gt;__Name</c>).</summary>
public sealed record RawProduct(string Id, string? Name);

/// <summary>
/// Our catalog of products and recurring prices, checked. Configuration is the source of truth; the
/// service records each version of a price and tells the providers (catalog sync). Every mistake is
/// refused here with the setting to fix, so a typo stops start-up instead of billing a wrong amount.
/// </summary>
public sealed partial class Catalog
{
    public const int MaxTrialDays = 730; // Stripe's limit for a trial set on a subscription

    private readonly Dictionary<string, RecurringPrice> _prices;

    private Catalog(IReadOnlyList<Product> products, Dictionary<string, RecurringPrice> prices)
    {
        Products = products;
        _prices = prices;
    }

    /// <summary>Every product: those configured and those a price names (named after their id unless configured).</summary>
    public IReadOnlyList<Product> Products { get; }

    /// <summary>The prices on sale (<c>Active</c> is not false), cheapest first within a product.</summary>
    public IEnumerable<RecurringPrice> Prices =>
        _prices.Values.OrderBy(p => p.Product, StringComparer.Ordinal).ThenBy(p => p.Interval).ThenBy(p => p.Amount.Minor).ThenBy(p => p.Key, StringComparer.Ordinal);

    public Product Product(string id) => Products.First(p => p.Id == id);

    public bool TryGetPrice(string? key, out RecurringPrice price) =>
        _prices.TryGetValue(key?.Trim().ToLowerInvariant() ?? "", out price!);

    /// <summary>Checks configuration; throws <see cref="InvalidOperationException"/> naming the variable to fix.</summary>
    public static Catalog Parse(IEnumerable<RawProduct> products, IEnumerable<RawPrice> prices)
    {
        var named = new Dictionary<string, Product>(StringComparer.Ordinal);
        foreach (var raw in products)
        {
            var id = Key(raw.Id, $"Catalog__Products__{raw.Id}", "product id");
            var name = raw.Name?.Trim();
            if (name is { Length: > 250 }) throw Bad($"Catalog__Products__{raw.Id}__Name", raw.Name, "is longer than 250 characters");
            named[id] = new Product(id, string.IsNullOrEmpty(name) ? Capitalised(id) : name);
        }

        var onSale = new Dictionary<string, RecurringPrice>(StringComparer.Ordinal);
        foreach (var raw in prices)
        {
            var setting = $"Catalog__Prices__{raw.Key}";
            var key = Key(raw.Key, setting, "price key");
            if (!Flag(raw.Active, $"{setting}__Active")) continue;
            if (string.IsNullOrWhiteSpace(raw.Product))
                throw Bad($"{setting}__Product", raw.Product, "is required: the product this price bills (e.g. 'pro')");
            var product = Key(raw.Product, $"{setting}__Product", "product id");
            if (!Money.Money.TryParse(raw.Price, out var amount) || !amount.IsPositive)
                throw Bad($"{setting}__Price", raw.Price, "is not a positive amount like '29.00 EUR' in the currency's own decimals");
            if (!BillingIntervals.TryParse(raw.Interval, out var interval))
                throw Bad($"{setting}__Interval", raw.Interval, "must be day, week, month or year");
            var count = Whole(raw.IntervalCount, $"{setting}__IntervalCount", 1, 1, interval.MaxCount(),
                $"(at most {interval.MaxCount()} for '{interval.ToWire()}': three years between bills)");
            var trial = Whole(raw.TrialDays, $"{setting}__TrialDays", 0, 0, MaxTrialDays, "(days)");
            named.TryAdd(product, new Product(product, Capitalised(product)));
            onSale[key] = new RecurringPrice(key, product, amount, interval, count, trial);
        }
        return new Catalog(named.Values.OrderBy(p => p.Id, StringComparer.Ordinal).ToList(), onSale);
    }

    /// <summary>Ids travel to providers (lookup keys, metadata) and into URLs: a small alphabet, lower case.</summary>
    private static string Key(string raw, string setting, string what)
    {
        var key = raw.Trim().ToLowerInvariant();
        return KeyPattern().IsMatch(key)
            ? key
            : throw new InvalidOperationException(
                $"{setting}: '{raw}' is not a valid {what} (1–64 of a-z, 0-9, '_' and '-', starting with a letter or digit).");
    }

    private static int Whole(string? raw, string setting, int fallback, int min, int max, string hint)
    {
        if (string.IsNullOrWhiteSpace(raw)) return fallback;
        return int.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw Bad(setting, raw, $"must be a whole number from {min} to {max} {hint}");
    }

    private static bool Flag(string? raw, string setting) => raw?.Trim().ToLowerInvariant() switch
    {
        null or "" or "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw Bad(setting, raw, "is not a boolean (use true or false)"),
    };

    private static InvalidOperationException Bad(string setting, string? value, string why) =>
        new($"{setting}='{value}' {why}.");

    private static string Capitalised(string id) => char.ToUpperInvariant(id[0]) + id[1..].Replace('_', ' ').Replace('-', ' ');

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex KeyPattern();
}
