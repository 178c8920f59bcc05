using Microsoft.Extensions.Configuration;

namespace Payments.Providers.Common;

/// <summary>
/// Reads provider settings by their environment-variable names (<c>STRIPE_SECRET_KEY</c>), which
/// are also valid keys in appsettings.json, so one name works in every configuration source.
/// </summary>
public static class ProviderSettings
{
    public static string? Value(this IConfiguration configuration, string name)
    {
        var value = configuration[name];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>Parses "true/false/1/0/yes/no/on/off"; anything else is a configuration error naming the variable.</summary>
    public static bool Flag(this IConfiguration configuration, string name, bool defaultValue)
    {
        var value = configuration.Value(name);
        if (value is null) return defaultValue;
        return value.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" or "on" => true,
            "false" or "0" or "no" or "off" => false,
            _ => throw new InvalidOperationException($"{name}='{value}' is not a boolean (use true or false)."),
        };
    }

    /// <summary>A whole number of seconds from <paramref name="min"/> to <paramref name="max"/>; anything else is a configuration error naming the variable.</summary>
    public static TimeSpan Seconds(this IConfiguration configuration, string name, int fallback, int min, int max)
    {
        if (configuration.Value(name) is not { } raw) return TimeSpan.FromSeconds(fallback);
        return int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? TimeSpan.FromSeconds(n)
            : throw new InvalidOperationException($"{name}='{raw}' must be a whole number of seconds from {min} to {max}.");
    }

    /// <summary>
    /// A provider is switched on when its key variable is set or <c>PAYMENT_PROVIDER</c> names it
    /// (case-insensitive); then its missing settings stop start-up instead of it silently staying off.
    /// </summary>
    public static bool ProviderEnabled(this IConfiguration configuration, string providerName, string keyVariable) =>
        configuration.Value(keyVariable) is not null ||
        string.Equals(configuration.Value("PAYMENT_PROVIDER"), providerName, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// An API base URL override (tests point it at a fake on loopback): null when unset, else an
    /// absolute http(s) URL ending in one '/' so relative request paths append to it.
    /// </summary>
    public static Uri? ApiBaseUrl(this IConfiguration configuration, string name)
    {
        var raw = configuration.Value(name);
        if (raw is null) return null;
        if (!Uri.TryCreate(raw.TrimEnd('/') + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new InvalidOperationException($"{name}='{raw}' is not an absolute http(s) URL.");
        return uri;
    }

    /// <summary>Names in <paramref name="required"/> whose value is missing.</summary>
    public static IReadOnlyList<string> Missing(this IConfiguration configuration, params string[] required) =>
        required.Where(name => configuration.Value(name) is null).ToArray();
}
