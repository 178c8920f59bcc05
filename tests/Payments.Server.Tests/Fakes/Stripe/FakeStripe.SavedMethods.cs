using System.Text.Json.Nodes;

namespace Payments.Server.Tests.Fakes.Stripe;

/// <summary>
/// Saved cards as Stripe keeps them: a Checkout Session with <c>customer</c> and
/// <c>payment_intent_data[setup_future_usage]</c> (never together with <c>customer_email</c>), PaymentMethods attached to a
/// customer (<c>GET /v1/customers/{id}/payment_methods</c>, <c>GET /v1/payment_methods/{id}</c>, <c>POST …/detach</c>), the
/// customer's <c>invoice_settings[default_payment_method]</c> (only a method attached to that customer), and an
/// <c>off_session</c>, <c>confirm=true</c> PaymentIntent charging one, declined with 402 card_error and the intent in the
/// error body as Stripe does. Tests save a card as a completed saving checkout would (<see cref="PaySaving"/>,
/// <see cref="AttachCard"/>) with Stripe's test PaymentMethods: <c>pm_card_visa</c>, <c>pm_card_mastercard</c>, and
/// <c>pm_card_chargeCustomerFail</c> (attaches, but its charges are declined). Payouts and balances: FakeStripe.Payouts.cs.
/// </summary>
public sealed partial class FakeStripe
{
    private static readonly Dictionary<string, (string Brand, string Last4, bool Declines)> TestMethods = new()
    {
        ["pm_card_visa"] = ("visa", "4242", false),
        ["pm_card_mastercard"] = ("mastercard", "4444", false),
        ["pm_card_chargeCustomerFail"] = ("visa", "0341", true),
    };
    private static readonly string[] OffSessionParams =
    [
        "amount", "currency", "description", "automatic_payment_methods[enabled]", "receipt_email", "customer", "payment_method",
        "off_session", "confirm", "return_url", "application_fee_amount", "transfer_data[destination]",
    ];

    private readonly Dictionary<string, JsonObject> _paymentMethods = new();
    private readonly HashSet<string> _declinesOffSession = [];
    private readonly Dictionary<string, string> _sessionCustomers = new();

    /// <summary>The one hook in <c>Route</c>: the requests of this file and FakeStripe.Payouts.cs, or null for the others.</summary>
    private (int, string)? RouteVendorExtras(RecordedRequest r)
    {
        var s = r.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return (r.Method, s.Length > 1 ? s[1] : "", s.Length) switch
        {
            ("POST", "checkout", 3) when s[2] == "sessions" && r["mode"] == "payment" && (r["customer"] ?? r["payment_intent_data[setup_future_usage]"]) is not null => SavingSession(r),
            ("POST", "payment_intents", 2) when r["off_session"] is not null || r["payment_method"] is not null => OffSessionIntent(r),
            ("POST", "payment_intents", 2) when r["customer"] is not null => SavingIntent(r),
            ("GET", "customers", 4) when s[3] == "payment_methods" => ListMethods(r, s[2]),
            ("POST", "customers", 3) when r.Form.Any(p => p.Key.StartsWith("invoice_settings[", StringComparison.Ordinal)) => SetDefaultMethod(r, s[2]),
            ("GET", "payment_methods", 3) => Get(r.Path, "payment_method", r, (id, _) => _paymentMethods.GetValueOrDefault(id)),
            ("POST", "payment_methods", 4) when s[3] == "detach" => Detach(r, s[2]),
            (_, "balance" or "payouts", _) => RoutePayouts(r), // FakeStripe.Payouts.cs
            _ => null,
        };
    }

    /// <summary>The customer a saving Checkout Session was created for.</summary>
    public string? CustomerOfSession(string sessionId)
    {
        lock (_state) return _sessionCustomers.GetValueOrDefault(sessionId);
    }

    /// <summary>The customer pays a saving session with a test card: the session completes and the card is attached to its customer.</summary>
    public (IReadOnlyList<FakeEvent> Events, string PaymentMethodId) PaySaving(string sessionId, string testMethod = "pm_card_visa")
    {
        lock (_state) return (Pay(sessionId), AttachCard(_sessionCustomers[sessionId], testMethod));
    }

    /// <summary>A card attached to the customer as a completed saving checkout leaves it; answers its <c>pm_…</c> id.</summary>
    public string AttachCard(string customerId, string testMethod = "pm_card_visa")
    {
        var (brand, last4, declines) = TestMethods[testMethod];
        var id = NewId("pm_");
        var method = new JsonObject
        {
            ["id"] = id, ["object"] = "payment_method", ["allow_redisplay"] = "limited",
            ["billing_details"] = new JsonObject
            {
                ["address"] = new JsonObject { ["city"] = null, ["country"] = "DE", ["line1"] = null, ["line2"] = null, ["postal_code"] = "10115", ["state"] = null },
                ["email"] = "jenny@example.com", ["name"] = "Jenny Rosen", ["phone"] = null,
            },
            ["card"] = new JsonObject
            {
                ["brand"] = brand, ["checks"] = new JsonObject { ["address_line1_check"] = null, ["address_postal_code_check"] = "pass", ["cvc_check"] = "pass" },
                ["country"] = "US", ["display_brand"] = brand, ["exp_month"] = 12, ["exp_year"] = 2034, ["fingerprint"] = NewId("")[..16],
                ["funding"] = "credit", ["last4"] = last4, ["wallet"] = null,
            },
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["customer"] = customerId, ["livemode"] = false, ["metadata"] = new JsonObject(),
            ["type"] = "card",
        };
        lock (_state)
        {
            if (!_customers.ContainsKey(customerId)) throw new InvalidOperationException($"No such customer: {customerId}");
            _paymentMethods[id] = method;
            if (declines) _declinesOffSession.Add(id);
        }
        return id;
    }

    /// <summary>A payment method as Stripe would answer it now (its <c>customer</c> is null once detached), or null.</summary>
    public JsonObject? PaymentMethod(string id)
    {
        lock (_state) return _paymentMethods.TryGetValue(id, out var m) ? Snapshot(m) : null;
    }

    /// <summary>The customer's <c>invoice_settings.default_payment_method</c>.</summary>
    public string? DefaultMethodOf(string customerId)
    {
        lock (_state) return _customers[customerId]["invoice_settings"]?["default_payment_method"]?.GetValue<string>();
    }

    private (int, string) SavingSession(RecordedRequest r)
    {
        if (Unknown(r, ["customer", "payment_intent_data[setup_future_usage]", .. SessionParams, .. DestinationParams("payment_intent_data")],
                "metadata[", "payment_intent_data[metadata][") is { } unknown) return unknown;
        if (r["customer"] is { } both && r["customer_email"] is not null)
            return Invalid("customer_email", $"You may only specify one of these parameters: customer, customer_email ({both}).");
        if (r["payment_intent_data[setup_future_usage]"] is { } usage && usage is not ("on_session" or "off_session"))
            return Invalid("payment_intent_data[setup_future_usage]", $"Invalid setup_future_usage: {usage}");
        var customer = r["customer"];
        lock (_state)
        {
            if (customer is not null && !_customers.ContainsKey(customer))
                return (400, StripeError("invalid_request_error", "resource_missing", $"No such customer: '{customer}'", "customer"));
            var (status, json) = CreateSession(Without(r, "customer", "payment_intent_data[setup_future_usage]"));
            if (status == 200 && customer is not null) _sessionCustomers[JsonNode.Parse(json)!["id"]!.GetValue<string>()] = customer;
            return (status, json);
        }
    }

    /// <summary>An embedded saving checkout: the ordinary PaymentIntent, for a customer, saving its card.</summary>
    private (int, string) SavingIntent(RecordedRequest r)
    {
        if (r["setup_future_usage"] is { } usage && usage is not ("on_session" or "off_session"))
            return Invalid("setup_future_usage", $"Invalid setup_future_usage: {usage}");
        lock (_state)
        {
            if (!_customers.ContainsKey(r["customer"]!))
                return (400, StripeError("invalid_request_error", "resource_missing", $"No such customer: '{r["customer"]}'", "customer"));
            return CreateIntent(Without(r, "customer", "setup_future_usage"));
        }
    }

    private (int, string) OffSessionIntent(RecordedRequest r)
    {
        if (Unknown(r, OffSessionParams, "metadata[") is { } unknown) return unknown;
        if (r["confirm"] != "true" || r["off_session"] != "true")
            return Invalid("off_session", "off_session=true is only for a PaymentIntent confirmed at once (confirm=true).");
        if (r["automatic_payment_methods[enabled]"] == "true" && r["return_url"] is not { Length: > 0 })
            return Invalid("return_url", "A return_url is required to confirm with automatic_payment_methods that may redirect.");
        var (amount, currency, error) = Amount(r, "amount", "currency");
        if (error is { } bad) return bad;
        var (destination, refused) = Destination(r, "", amount);
        if (refused is { } notDestination) return notDestination;
        lock (_state)
        {
            var (customer, methodId) = (r["customer"] ?? "", r["payment_method"] ?? "");
            if (!_customers.ContainsKey(customer))
                return (400, StripeError("invalid_request_error", "resource_missing", $"No such customer: '{customer}'", "customer"));
            if (!_paymentMethods.TryGetValue(methodId, out var method))
                return (400, StripeError("invalid_request_error", "resource_missing", $"No such PaymentMethod: '{methodId}'", "payment_method"));
            if (method["customer"]?.GetValue<string>() != customer)
                return Invalid("payment_method", $"The provided PaymentMethod {methodId} does not belong to the Customer {customer}.");
            var id = NewId("pi_");
            var intent = new FakeIntent
            {
                Id = id, Amount = amount, Currency = currency, Description = r["description"], Metadata = Map(r, "metadata"),
                ClientSecret = $"{id}_secret_{NewId("")}", Created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            };
            _intents[id] = intent;
            if (destination is not null) _destinations[id] = destination;
            if (_declinesOffSession.Contains(methodId))
            {
                DeclineIntent(intent, "generic_decline");
                var declined = intent.LastPaymentError!.DeepClone().AsObject();
                declined["payment_intent"] = RenderIntent(intent, []);
                declined["payment_method"] = method.DeepClone();
                return (402, new JsonObject { ["error"] = declined }.ToJsonString());
            }
            var charge = Succeed(intent);
            Emit("charge.succeeded", RenderCharge(charge));
            Emit("payment_intent.succeeded", RenderIntent(intent, []));
            var json = RenderIntent(intent, []);
            (json["customer"], json["payment_method"]) = (customer, methodId);
            return (200, json.ToJsonString());
        }
    }

    private (int, string) ListMethods(RecordedRequest r, string customerId)
    {
        if (Unknown(r, ["type", "limit", "starting_after", "ending_before", "allow_redisplay"]) is { } unknown) return unknown;
        if (r["type"] is { } type && type != "card") return (200, List(customerId, []));
        lock (_state)
        {
            if (!_customers.ContainsKey(customerId))
                return (404, StripeError("invalid_request_error", "resource_missing", $"No such customer: '{customerId}'", "id"));
            // Newest first, as Stripe lists.
            return (200, List(customerId, _paymentMethods.Values.Where(m => m["customer"]?.GetValue<string>() == customerId).Reverse()));
        }
    }

    private static string List(string customerId, IEnumerable<JsonObject> methods) => new JsonObject
    {
        ["object"] = "list", ["data"] = new JsonArray(methods.Select(m => (JsonNode)m.DeepClone()).ToArray()), ["has_more"] = false,
        ["url"] = $"/v1/customers/{customerId}/payment_methods",
    }.ToJsonString();

    private (int, string) SetDefaultMethod(RecordedRequest r, string customerId)
    {
        if (Unknown(r, ["invoice_settings[default_payment_method]"]) is { } unknown) return unknown;
        var methodId = r["invoice_settings[default_payment_method]"]!;
        lock (_state)
        {
            if (!_customers.TryGetValue(customerId, out var customer))
                return (404, StripeError("invalid_request_error", "resource_missing", $"No such customer: '{customerId}'", "id"));
            if (methodId.Length > 0 && _paymentMethods.GetValueOrDefault(methodId)?["customer"]?.GetValue<string>() != customerId)
                return Invalid("invoice_settings[default_payment_method]",
                    $"The customer does not have a payment method with the ID {methodId}. The payment method must be attached to the customer.");
            customer["invoice_settings"] = new JsonObject
            {
                ["custom_fields"] = null, ["default_payment_method"] = methodId.Length == 0 ? null : methodId, ["footer"] = null, ["rendering_options"] = null,
            };
            return (200, customer.ToJsonString());
        }
    }

    private (int, string) Detach(RecordedRequest r, string methodId)
    {
        if (Unknown(r, []) is { } unknown) return unknown;
        lock (_state)
        {
            if (!_paymentMethods.TryGetValue(methodId, out var method))
                return (404, StripeError("invalid_request_error", "resource_missing", $"No such PaymentMethod: '{methodId}'", "payment_method"));
            if (method["customer"]?.GetValue<string>() is not { } customerId)
                return Invalid("payment_method", "The payment method you provided is not attached to a customer so detachment is impossible.");
            method["customer"] = null;
            // A detached method is no longer anyone's default.
            if (_customers[customerId]["invoice_settings"]?["default_payment_method"]?.GetValue<string>() == methodId)
                _customers[customerId]["invoice_settings"]!["default_payment_method"] = null;
            return (200, method.ToJsonString());
        }
    }

    /// <summary>The request without the parameters this file handled, for the ordinary endpoint to validate the rest.</summary>
    private static RecordedRequest Without(RecordedRequest r, params string[] keys) =>
        r with { Form = r.Form.Where(p => !keys.Contains(p.Key)).ToList() };
}
