using System.Globalization;
using System.Text.Json.Nodes;

namespace Payments.Server.Tests.Fakes.Stripe;

/// <summary>
/// Stripe Billing's catalog as Stripe validates it: Products (create, update) and Prices (create; update only what
/// Stripe lets change: <c>active</c>, <c>lookup_key</c>, <c>metadata</c>, … — sending <c>unit_amount</c> to an existing
/// price is an unknown parameter, so "a price is never edited" is enforced here). A lookup key names one price: taking
/// it from another needs <c>transfer_lookup_key=true</c>, as at Stripe.
/// </summary>
public sealed partial class FakeStripe
{
    private static readonly string[] ProductParams = ["name", "active"];
    private static readonly string[] PriceParams =
        ["product", "currency", "unit_amount", "recurring[interval]", "recurring[interval_count]", "lookup_key", "transfer_lookup_key", "tax_behavior", "nickname"];
    private static readonly string[] PriceUpdateParams = ["active", "lookup_key", "transfer_lookup_key", "nickname"];
    private static readonly Dictionary<string, int> LongestInterval = new() { ["day"] = 1095, ["week"] = 156, ["month"] = 36, ["year"] = 3 };

    private readonly Dictionary<string, JsonObject> _products = new();
    private readonly Dictionary<string, JsonObject> _prices = new();

    /// <summary>Products as Stripe would return them, oldest first.</summary>
    public IReadOnlyList<JsonObject> Products
    {
        get { lock (_state) return _products.Values.Select(Snapshot).ToList(); }
    }

    /// <summary>Prices as Stripe would return them, oldest first (archived ones too: <c>active</c> false).</summary>
    public IReadOnlyList<JsonObject> Prices
    {
        get { lock (_state) return _prices.Values.Select(Snapshot).ToList(); }
    }

    /// <summary>An object as a client would read it off the wire (values typed as JSON, not as the CLR values the fake wrote).</summary>
    private static JsonObject Snapshot(JsonObject o) => JsonNode.Parse(o.ToJsonString())!.AsObject();

    private (int, string) RouteBilling(RecordedRequest r)
    {
        var segments = r.Path.Split('/', StringSplitOptions.RemoveEmptyEntries); // v1, kind, id, sub, subId
        return (r.Method, segments.Length > 1 ? segments[1] : "", segments.Length) switch
        {
            ("POST", "products", 2) => CreateProduct(r),
            ("POST", "products", 3) => UpdateObject(r, _products, segments[2], "product", ProductParams, UpdateProduct),
            ("GET", "products", 3) => Get(r.Path, "product", r, (id, _) => _products.GetValueOrDefault(id)),
            ("POST", "prices", 2) => CreatePrice(r),
            ("POST", "prices", 3) => UpdateObject(r, _prices, segments[2], "price", PriceUpdateParams, UpdatePrice),
            ("GET", "prices", 3) => Get(r.Path, "price", r, (id, _) => _prices.GetValueOrDefault(id)),
            (_, "customers", _) => RouteCustomers(r, segments),
            (_, "subscriptions" or "invoices" or "tax_rates" or "billing_portal", _) => RouteSubscriptions(r, segments), // FakeStripeSubscriptions.cs
            _ => Unrecognized(r),
        };
    }

    private (int, string) CreateProduct(RecordedRequest r)
    {
        if (Unknown(r, ProductParams, "metadata[") is { } unknown) return unknown;
        if (r["name"] is not { Length: > 0 } name) return Invalid("name", "Missing required param: name.", "parameter_missing");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var product = new JsonObject
        {
            ["id"] = NewId("prod_"), ["object"] = "product", ["active"] = r["active"] != "false", ["created"] = now, ["default_price"] = null,
            ["description"] = null, ["images"] = new JsonArray(), ["livemode"] = false, ["marketing_features"] = new JsonArray(),
            ["metadata"] = Json(Map(r, "metadata")), ["name"] = name, ["package_dimensions"] = null, ["shippable"] = null,
            ["statement_descriptor"] = null, ["tax_code"] = null, ["type"] = "service", ["unit_label"] = null, ["updated"] = now, ["url"] = null,
        };
        lock (_state) _products[product["id"]!.GetValue<string>()] = product;
        return (200, product.ToJsonString());
    }

    private static (int, string)? UpdateProduct(RecordedRequest r, JsonObject product)
    {
        if (r["name"] is { } name)
        {
            if (name.Length == 0) return Invalid("name", "You cannot unset the name of a product.");
            product["name"] = name;
        }
        if (r["active"] is { } active) product["active"] = active == "true";
        product["updated"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return null;
    }

    private (int, string) CreatePrice(RecordedRequest r)
    {
        if (Unknown(r, PriceParams, "metadata[") is { } unknown) return unknown;
        lock (_state)
        {
            if (r["product"] is not { } productId || !_products.ContainsKey(productId))
                return (400, StripeError("invalid_request_error", "resource_missing", $"No such product: '{r["product"]}'", "product"));
            var currency = r["currency"] ?? "";
            if (currency.Length != 3 || currency.Any(c => c is < 'a' or > 'z')) return Invalid("currency", $"Invalid currency: {currency}.");
            if (!long.TryParse(r["unit_amount"], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
                return Invalid("unit_amount", "Invalid non-negative integer", "parameter_invalid_integer");
            var interval = r["recurring[interval]"];
            if (interval is null || !LongestInterval.TryGetValue(interval, out var longest))
                return Invalid("recurring[interval]", "Invalid recurring[interval]: must be one of day, week, month, or year");
            var count = r["recurring[interval_count]"] is { } rawCount ? int.Parse(rawCount, CultureInfo.InvariantCulture) : 1;
            if (count < 1 || count > longest) return Invalid("recurring[interval_count]", "Maximum of three years interval allowed (3 years, 36 months, or 156 weeks).");
            if (r["tax_behavior"] is { } behavior && behavior is not ("exclusive" or "inclusive" or "unspecified"))
                return Invalid("tax_behavior", $"Invalid tax_behavior: {behavior}");
            var id = NewId("price_");
            if (TakeLookupKey(r, id) is { } refused) return refused;
            var price = new JsonObject
            {
                ["id"] = id, ["object"] = "price", ["active"] = true, ["billing_scheme"] = "per_unit", ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["currency"] = currency, ["custom_unit_amount"] = null, ["livemode"] = false, ["lookup_key"] = r["lookup_key"],
                ["metadata"] = Json(Map(r, "metadata")), ["nickname"] = r["nickname"], ["product"] = productId,
                ["recurring"] = new JsonObject
                {
                    ["interval"] = interval, ["interval_count"] = count, ["meter"] = null, ["trial_period_days"] = null, ["usage_type"] = "licensed",
                },
                ["tax_behavior"] = r["tax_behavior"] ?? "unspecified", ["tiers_mode"] = null, ["transform_quantity"] = null, ["type"] = "recurring",
                ["unit_amount"] = amount, ["unit_amount_decimal"] = amount.ToString(CultureInfo.InvariantCulture),
            };
            _prices[id] = price;
            return (200, price.ToJsonString());
        }
    }

    private (int, string)? UpdatePrice(RecordedRequest r, JsonObject price)
    {
        if (r["lookup_key"] is not null && TakeLookupKey(r, price["id"]!.GetValue<string>()) is { } refused) return refused;
        if (r["lookup_key"] is { } key) price["lookup_key"] = key.Length == 0 ? null : key;
        if (r["active"] is { } active) price["active"] = active == "true";
        if (r["nickname"] is { } nickname) price["nickname"] = nickname;
        return null;
    }

    /// <summary>A lookup key names one price; another price's key is taken only with transfer_lookup_key=true.</summary>
    private (int, string)? TakeLookupKey(RecordedRequest r, string priceId)
    {
        if (r["lookup_key"] is not { Length: > 0 } key) return null;
        var holder = _prices.Values.FirstOrDefault(p => p["lookup_key"]?.GetValue<string>() == key && p["id"]!.GetValue<string>() != priceId);
        if (holder is null) return null;
        if (r["transfer_lookup_key"] != "true")
            return Invalid("lookup_key", $"A price (`{holder["id"]}`) already uses that lookup key.");
        holder["lookup_key"] = null;
        return null;
    }

    /// <summary>POST /v1/{kind}/{id}: the object's own parameters and metadata, applied in place; 404 for an unknown id.</summary>
    private (int, string) UpdateObject(RecordedRequest r, Dictionary<string, JsonObject> all, string id, string kind, string[] allowed,
        Func<RecordedRequest, JsonObject, (int, string)?> apply)
    {
        if (Unknown(r, allowed, "metadata[") is { } unknown) return unknown;
        lock (_state)
        {
            if (!all.TryGetValue(Uri.UnescapeDataString(id), out var found))
                return (404, StripeError("invalid_request_error", "resource_missing", $"No such {kind}: '{id}'", "id"));
            if (apply(r, found) is { } refused) return refused;
            var metadata = found["metadata"]!.AsObject();
            foreach (var (key, value) in Map(r, "metadata"))
                if (value.Length == 0) metadata.Remove(key); else metadata[key] = value;
            return (200, found.ToJsonString());
        }
    }
}
