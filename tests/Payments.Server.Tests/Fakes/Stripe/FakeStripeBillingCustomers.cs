using System.Text.Json.Nodes;

namespace Payments.Server.Tests.Fakes.Stripe;

/// <summary>
/// Customers (create, update, retrieve) and their tax ids (list, create, delete), as Stripe validates them:
/// <c>tax_id_data</c> only when creating, <c>tax_exempt</c> one of none, exempt, reverse, an <c>eu_vat</c> value with
/// its member state's prefix, and "" to clear an address field.
/// </summary>
public sealed partial class FakeStripe
{
    private static readonly string[] CustomerParams =
    [
        "name", "email", "tax_exempt", "address[line1]", "address[line2]", "address[city]", "address[postal_code]", "address[country]", "address[state]",
    ];

    private readonly Dictionary<string, JsonObject> _customers = new();
    private readonly Dictionary<string, JsonObject> _taxIds = new();

    /// <summary>Customers as Stripe would return them, oldest first.</summary>
    public IReadOnlyList<JsonObject> Customers
    {
        get { lock (_state) return _customers.Values.Select(Snapshot).ToList(); }
    }

    /// <summary>A customer's tax ids (type, value), oldest first.</summary>
    public IReadOnlyList<(string Type, string Value)> TaxIdsOf(string customerId)
    {
        lock (_state)
            return _taxIds.Values.Where(t => t["customer"]!.GetValue<string>() == customerId)
                .Select(t => (t["type"]!.GetValue<string>(), t["value"]!.GetValue<string>())).ToList();
    }

    private (int, string) RouteCustomers(RecordedRequest r, string[] segments) => (r.Method, segments.Length) switch
    {
        ("POST", 2) => CreateCustomer(r),
        ("POST", 3) => UpdateObject(r, _customers, segments[2], "customer", CustomerParams, UpdateCustomer),
        ("GET", 3) => Get(r.Path, "customer", r, (id, _) => _customers.GetValueOrDefault(id)),
        ("GET", 4) when segments[3] == "tax_ids" => ListTaxIds(r, segments[2]),
        ("POST", 4) when segments[3] == "tax_ids" => CreateTaxId(r, segments[2]),
        ("DELETE", 5) when segments[3] == "tax_ids" => DeleteTaxId(segments[2], segments[4]),
        _ => Unrecognized(r),
    };

    private (int, string) CreateCustomer(RecordedRequest r)
    {
        if (Unknown(r, CustomerParams, "metadata[", "tax_id_data[") is { } unknown) return unknown;
        var customer = new JsonObject
        {
            ["id"] = NewId("cus_"), ["object"] = "customer", ["address"] = null, ["balance"] = 0, ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["currency"] = null, ["default_source"] = null, ["delinquent"] = false, ["description"] = null, ["email"] = null,
            ["invoice_prefix"] = NewId("")[..8].ToUpperInvariant(), ["livemode"] = false, ["metadata"] = Json(Map(r, "metadata")), ["name"] = null,
            ["phone"] = null, ["preferred_locales"] = new JsonArray(), ["shipping"] = null, ["tax_exempt"] = "none", ["test_clock"] = null,
        };
        lock (_state)
        {
            if (UpdateCustomer(r, customer) is { } refused) return refused;
            var id = customer["id"]!.GetValue<string>();
            var taxIds = new List<JsonObject>();
            for (var i = 0; r[$"tax_id_data[{i}][type]"] is { } type; i++)
            {
                if (NewTaxId(id, type, r[$"tax_id_data[{i}][value]"]) is not { } taxId)
                    return Invalid($"tax_id_data[{i}][value]", $"Invalid value for {type}.", "tax_id_invalid");
                taxIds.Add(taxId);
            }
            _customers[id] = customer;
            foreach (var taxId in taxIds) _taxIds[taxId["id"]!.GetValue<string>()] = taxId;
            return (200, customer.ToJsonString());
        }
    }

    private static (int, string)? UpdateCustomer(RecordedRequest r, JsonObject customer)
    {
        if (r["tax_exempt"] is { } exempt)
        {
            if (exempt is not ("none" or "exempt" or "reverse")) return Invalid("tax_exempt", $"Invalid tax_exempt: must be one of none, exempt, or reverse");
            customer["tax_exempt"] = exempt;
        }
        if (r["name"] is { } name) customer["name"] = name.Length == 0 ? null : name;
        if (r["email"] is { } email) customer["email"] = email.Length == 0 ? null : email;
        if (r.Form.Any(p => p.Key.StartsWith("address[", StringComparison.Ordinal)))
        {
            var address = customer["address"]?.AsObject() ?? new JsonObject
                { ["city"] = null, ["country"] = null, ["line1"] = null, ["line2"] = null, ["postal_code"] = null, ["state"] = null };
            foreach (var field in new[] { "line1", "line2", "city", "postal_code", "country", "state" })
                if (r[$"address[{field}]"] is { } value) address[field] = value.Length == 0 ? null : value;
            if (address["country"]?.GetValue<string>() is { } country && (country.Length != 2 || country.Any(c => c is < 'A' or > 'Z')))
                return Invalid("address[country]", $"Country '{country}' is unknown. Try using a 2-character alphanumeric country code instead.");
            customer["address"] = address;
        }
        return null;
    }

    private (int, string) ListTaxIds(RecordedRequest r, string customerId)
    {
        if (Unknown(r, ["limit"]) is { } unknown) return unknown;
        lock (_state)
        {
            if (!_customers.ContainsKey(customerId)) return (404, StripeError("invalid_request_error", "resource_missing", $"No such customer: '{customerId}'", "id"));
            var data = new JsonArray(_taxIds.Values.Where(t => t["customer"]!.GetValue<string>() == customerId).Select(t => (JsonNode)t.DeepClone()).ToArray());
            return (200, new JsonObject
            {
                ["object"] = "list", ["data"] = data, ["has_more"] = false, ["url"] = $"/v1/customers/{customerId}/tax_ids",
            }.ToJsonString());
        }
    }

    private (int, string) CreateTaxId(RecordedRequest r, string customerId)
    {
        if (Unknown(r, ["type", "value"]) is { } unknown) return unknown;
        lock (_state)
        {
            if (!_customers.ContainsKey(customerId)) return (404, StripeError("invalid_request_error", "resource_missing", $"No such customer: '{customerId}'", "id"));
            if (NewTaxId(customerId, r["type"] ?? "", r["value"]) is not { } taxId)
                return Invalid("value", $"Invalid value for {r["type"]}.", "tax_id_invalid");
            _taxIds[taxId["id"]!.GetValue<string>()] = taxId;
            return (200, taxId.ToJsonString());
        }
    }

    private (int, string) DeleteTaxId(string customerId, string taxId)
    {
        lock (_state)
        {
            if (!_taxIds.TryGetValue(taxId, out var found) || found["customer"]!.GetValue<string>() != customerId)
                return (404, StripeError("invalid_request_error", "resource_missing", $"No such tax_id: '{taxId}'", "id"));
            _taxIds.Remove(taxId);
            return (200, new JsonObject { ["id"] = taxId, ["object"] = "tax_id", ["deleted"] = true }.ToJsonString());
        }
    }

    /// <summary>Only eu_vat here: two letters (the member state, EL for Greece) and at least two more characters.</summary>
    private static JsonObject? NewTaxId(string customerId, string type, string? value)
    {
        if (type != "eu_vat" || value is null || value.Length < 4 || !char.IsAsciiLetterUpper(value[0]) || !char.IsAsciiLetterUpper(value[1])) return null;
        return new JsonObject
        {
            ["id"] = NewId("txi_"), ["object"] = "tax_id", ["country"] = value[..2] == "EL" ? "GR" : value[..2], ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["customer"] = customerId, ["livemode"] = false, ["type"] = type, ["value"] = value,
            ["verification"] = new JsonObject { ["status"] = "pending", ["verified_address"] = null, ["verified_name"] = null },
        };
    }
}
