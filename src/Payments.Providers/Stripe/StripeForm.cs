using System.Globalization;
using System.Text;

namespace Payments.Providers.Stripe;

/// <summary>
/// Stripe's request encoding: <c>application/x-www-form-urlencoded</c> with nested parameters
/// written as bracketed keys, <c>line_items[0][price_data][unit_amount]=1900</c>. Values are
/// percent-encoded as RFC 3986 says (space is <c>%20</c>); brackets in keys are left readable,
/// as Stripe's official libraries send them. Order is kept, so a retried request is byte-identical
/// (Stripe compares parameters when an idempotency key is reused).
/// </summary>
public sealed class StripeForm
{
    private readonly List<KeyValuePair<string, string>> _pairs = [];

    public StripeForm Add(string key, string? value)
    {
        if (value is not null) _pairs.Add(new(key, value));
        return this;
    }

    public StripeForm Add(string key, long value) => Add(key, value.ToString(CultureInfo.InvariantCulture));

    public StripeForm Add(string key, bool value) => Add(key, value ? "true" : "false");

    /// <summary><c>prefix[key]=value</c> for every entry, in key order (a stable body for idempotent retries).</summary>
    public StripeForm AddMap(string prefix, IEnumerable<KeyValuePair<string, string>>? entries)
    {
        if (entries is null) return this;
        foreach (var (key, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal)) Add($"{prefix}[{key}]", value);
        return this;
    }

    public string Encode()
    {
        var text = new StringBuilder();
        foreach (var (key, value) in _pairs)
        {
            if (text.Length > 0) text.Append('&');
            text.Append(EscapeKey(key)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return text.ToString();
    }

    public override string ToString() => Encode();

    private static string EscapeKey(string key) =>
        Uri.EscapeDataString(key).Replace("%5B", "[", StringComparison.Ordinal).Replace("%5D", "]", StringComparison.Ordinal);
}
