using System.Globalization;
using System.Text.Json.Nodes;

namespace Payments.Server.Tests.Fakes.Stripe;

internal sealed class FakeSubscriptionSession
{
    public required string Id { get; init; }
    public required string Customer { get; init; }
    public required string Price { get; init; }
    public string? TaxRate { get; init; }
    public int TrialDays { get; init; }
    public required string SuccessUrl { get; init; }
    public required string CancelUrl { get; init; }
    public string? ClientReferenceId { get; init; }
    public required Dictionary<string, string> Metadata { get; init; }
    public required Dictionary<string, string> SubscriptionMetadata { get; init; }
    public long Created { get; init; }
    public string Status { get; set; } = "open";
    public string? Subscription { get; set; }
}

internal sealed class FakeSubscription
{
    public required string Id { get; init; }
    public required string Customer { get; init; }
    public required string Price { get; init; }
    public string? TaxRate { get; init; }
    public required Dictionary<string, string> Metadata { get; init; }
    public long Created { get; init; }
    public string Status { get; set; } = "incomplete";
    public long PeriodStart { get; set; }
    public long PeriodEnd { get; set; }
    public bool CancelAtPeriodEnd { get; set; }
    public long? TrialEnd { get; set; }
    public long? CanceledAt { get; set; }
    public string? LatestInvoice { get; set; }
}

internal sealed class FakeInvoice
{
    public required string Id { get; init; }
    public required string Customer { get; init; }
    public required string Subscription { get; init; }
    public required string Currency { get; init; }
    public long Subtotal { get; init; }
    public long Tax { get; init; }
    public string? TaxRate { get; init; }
    public long PeriodStart { get; init; }
    public long PeriodEnd { get; init; }
    public long Created { get; init; }
    public string Status { get; set; } = "open";
    public long AmountPaid { get; set; }
    public int AttemptCount { get; set; }
    public Dictionary<string, string> SubscriptionMetadata { get; init; } = new();
    public long Total => Subtotal + Tax;
}

/// <summary>
/// Stripe Billing's subscriptions as Stripe validates and answers them (API 2026-10-28.endive shapes: a subscription's
/// period lives on its items, an invoice names its subscription under <c>parent.subscription_details</c>, its taxes in
/// <c>total_taxes</c>): Checkout Sessions in <c>mode=subscription</c>, tax rates, subscriptions (retrieve, update
/// <c>cancel_at_period_end</c>, cancel), invoices (retrieve) and billing portal sessions.
/// </summary>
public sealed partial class FakeStripe
{
    private static readonly string[] SubscriptionSessionParams =
    [
        "mode", "customer", "success_url", "cancel_url", "client_reference_id", "line_items[0][price]", "line_items[0][quantity]",
        "line_items[0][tax_rates][0]", "subscription_data[trial_period_days]",
    ];
    private static readonly string[] TaxRateParams = ["display_name", "inclusive", "percentage", "country", "jurisdiction", "tax_type", "description"];

    private readonly Dictionary<string, FakeSubscriptionSession> _subscriptionSessions = new();
    private readonly Dictionary<string, FakeSubscription> _subscriptions = new();
    private readonly Dictionary<string, FakeInvoice> _invoices = new();
    private readonly Dictionary<string, JsonObject> _taxRates = new();

    private (int, string) RouteSubscriptions(RecordedRequest r, string[] segments) => (r.Method, segments[1], segments.Length) switch
    {
        ("POST", "tax_rates", 2) => CreateTaxRate(r),
        ("GET", "subscriptions", 3) => Get(r.Path, "subscription", r, (id, _) => _subscriptions.TryGetValue(id, out var s) ? RenderSubscription(s) : null),
        ("POST", "subscriptions", 3) => UpdateSubscription(r, segments[2]),
        ("DELETE", "subscriptions", 3) => CancelSubscription(segments[2]),
        ("GET", "invoices", 3) => Get(r.Path, "invoice", r, (id, _) => _invoices.TryGetValue(id, out var i) ? RenderInvoice(i) : null),
        ("POST", "billing_portal", 3) when segments[2] == "sessions" => CreatePortalSession(r),
        _ => Unrecognized(r),
    };

    private (int, string) CreateSubscriptionSession(RecordedRequest r)
    {
        if (Unknown(r, SubscriptionSessionParams, "metadata[", "subscription_data[metadata][") is { } unknown) return unknown;
        if (r["success_url"] is null || r["cancel_url"] is null) return Invalid("success_url", "success_url and cancel_url are required.");
        lock (_state)
        {
            if (r["customer"] is not { } customer || !_customers.ContainsKey(customer)) return Invalid("customer", $"No such customer: '{r["customer"]}'");
            if (r["line_items[0][price]"] is not { } price || !_prices.TryGetValue(price, out var priceObject) || priceObject["active"]!.GetValue<bool>() != true)
                return Invalid("line_items[0][price]", $"No such active price: '{r["line_items[0][price]"]}'");
            if (r["line_items[0][quantity]"] != "1") return Invalid("line_items[0][quantity]", "One of each is expected here.");
            if (r["line_items[0][tax_rates][0]"] is { } taxRate && !_taxRates.ContainsKey(taxRate)) return Invalid("line_items[0][tax_rates][0]", $"No such tax rate: '{taxRate}'");
            var trial = r["subscription_data[trial_period_days]"] is { } days ? int.Parse(days, CultureInfo.InvariantCulture) : 0;
            var session = new FakeSubscriptionSession
            {
                Id = NewId("cs_test_"), Customer = customer, Price = price, TaxRate = r["line_items[0][tax_rates][0]"], TrialDays = trial,
                SuccessUrl = r["success_url"]!, CancelUrl = r["cancel_url"]!, ClientReferenceId = r["client_reference_id"], Metadata = Map(r, "metadata"),
                SubscriptionMetadata = Map(r, "subscription_data[metadata]"), Created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            };
            _subscriptionSessions[session.Id] = session;
            return (200, RenderSubscriptionSession(session).ToJsonString());
        }
    }

    private (int, string) CreateTaxRate(RecordedRequest r)
    {
        if (Unknown(r, TaxRateParams, "metadata[") is { } unknown) return unknown;
        if (r["display_name"] is not { Length: > 0 } || r["inclusive"] is not ("true" or "false"))
            return Invalid("display_name", "display_name and inclusive are required.", "parameter_missing");
        if (!decimal.TryParse(r["percentage"], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percentage) || percentage is < 0 or > 100)
            return Invalid("percentage", $"Invalid decimal: {r["percentage"]}");
        var rate = new JsonObject
        {
            ["id"] = NewId("txr_"), ["object"] = "tax_rate", ["active"] = true, ["country"] = r["country"], ["display_name"] = r["display_name"],
            ["inclusive"] = r["inclusive"] == "true", ["jurisdiction"] = r["jurisdiction"], ["percentage"] = percentage, ["tax_type"] = r["tax_type"],
            ["livemode"] = false, ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["metadata"] = new JsonObject(),
        };
        lock (_state) _taxRates[rate["id"]!.GetValue<string>()] = rate;
        return (200, rate.ToJsonString());
    }

    private (int, string) UpdateSubscription(RecordedRequest r, string id)
    {
        if (Unknown(r, ["cancel_at_period_end"]) is { } unknown) return unknown;
        lock (_state)
        {
            if (!_subscriptions.TryGetValue(id, out var s)) return (404, StripeError("invalid_request_error", "resource_missing", $"No such subscription: '{id}'", "id"));
            if (s.Status == "canceled") return Invalid("cancel_at_period_end", "A canceled subscription can only update its cancellation_details and metadata.");
            if (r["cancel_at_period_end"] is { } flag) s.CancelAtPeriodEnd = flag == "true";
            Emit("customer.subscription.updated", RenderSubscription(s));
            return (200, RenderSubscription(s).ToJsonString());
        }
    }

    private (int, string) CancelSubscription(string id)
    {
        lock (_state)
        {
            if (!_subscriptions.TryGetValue(id, out var s)) return (404, StripeError("invalid_request_error", "resource_missing", $"No such subscription: '{id}'", "id"));
            (s.Status, s.CanceledAt, s.CancelAtPeriodEnd) = ("canceled", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), false);
            Emit("customer.subscription.deleted", RenderSubscription(s));
            return (200, RenderSubscription(s).ToJsonString());
        }
    }

    private (int, string) CreatePortalSession(RecordedRequest r)
    {
        if (Unknown(r, ["customer", "return_url"]) is { } unknown) return unknown;
        lock (_state)
        {
            if (r["customer"] is not { } customer || !_customers.ContainsKey(customer)) return Invalid("customer", $"No such customer: '{r["customer"]}'");
            var id = NewId("bps_");
            return (200, new JsonObject
            {
                ["id"] = id, ["object"] = "billing_portal.session", ["customer"] = customer, ["livemode"] = false, ["return_url"] = r["return_url"],
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["url"] = $"https://billing.stripe.com/p/session/test_{id}",
            }.ToJsonString());
        }
    }

    private JsonObject? RenderSubscriptionSession(string id) =>
        _subscriptionSessions.TryGetValue(id, out var s) ? RenderSubscriptionSession(s) : null;

    private static JsonObject RenderSubscriptionSession(FakeSubscriptionSession s) => new()
    {
        ["id"] = s.Id, ["object"] = "checkout.session", ["cancel_url"] = s.CancelUrl, ["client_reference_id"] = s.ClientReferenceId, ["created"] = s.Created,
        ["customer"] = s.Customer, ["livemode"] = false, ["metadata"] = Json(s.Metadata), ["mode"] = "subscription",
        ["payment_status"] = s.Status == "complete" ? "paid" : "unpaid", ["status"] = s.Status, ["subscription"] = s.Subscription,
        ["success_url"] = s.SuccessUrl, ["url"] = s.Status == "open" ? $"https://checkout.stripe.com/c/pay/{s.Id}" : null,
    };

    private JsonObject RenderSubscription(FakeSubscription s) => new()
    {
        ["id"] = s.Id, ["object"] = "subscription", ["cancel_at_period_end"] = s.CancelAtPeriodEnd, ["canceled_at"] = s.CanceledAt, ["created"] = s.Created,
        ["currency"] = _prices[s.Price]["currency"]!.GetValue<string>(), ["customer"] = s.Customer, ["latest_invoice"] = s.LatestInvoice,
        ["livemode"] = false, ["metadata"] = Json(s.Metadata), ["start_date"] = s.Created, ["status"] = s.Status, ["trial_end"] = s.TrialEnd,
        ["items"] = new JsonObject
        {
            ["object"] = "list", ["has_more"] = false, ["url"] = $"/v1/subscription_items?subscription={s.Id}",
            ["data"] = new JsonArray(new JsonObject
            {
                ["id"] = "si_" + s.Id[4..], ["object"] = "subscription_item", ["current_period_start"] = s.PeriodStart,
                ["current_period_end"] = s.PeriodEnd, ["price"] = Snapshot(_prices[s.Price]), ["quantity"] = 1, ["subscription"] = s.Id,
            }),
        },
    };

    private static JsonObject RenderInvoice(FakeInvoice i) => new()
    {
        ["id"] = i.Id, ["object"] = "invoice", ["amount_due"] = i.Total, ["amount_paid"] = i.AmountPaid, ["amount_remaining"] = i.Total - i.AmountPaid,
        ["attempt_count"] = i.AttemptCount, ["attempted"] = i.AttemptCount > 0, ["created"] = i.Created, ["currency"] = i.Currency,
        ["customer"] = i.Customer, ["livemode"] = false, ["period_start"] = i.PeriodStart, ["period_end"] = i.PeriodEnd, ["status"] = i.Status,
        ["subtotal"] = i.Subtotal, ["total"] = i.Total,
        ["parent"] = new JsonObject
        {
            ["type"] = "subscription_details", ["quote_details"] = null,
            ["subscription_details"] = new JsonObject { ["subscription"] = i.Subscription, ["metadata"] = Json(i.SubscriptionMetadata) },
        },
        ["total_taxes"] = i.TaxRate is null ? new JsonArray() : new JsonArray(new JsonObject
        {
            ["amount"] = i.Tax, ["tax_behavior"] = "exclusive", ["taxable_amount"] = i.Subtotal, ["taxability_reason"] = null, ["type"] = "tax_rate_details",
            ["tax_rate_details"] = new JsonObject { ["tax_rate"] = i.TaxRate },
        }),
        ["lines"] = new JsonObject
        {
            ["object"] = "list", ["has_more"] = false, ["url"] = $"/v1/invoices/{i.Id}/lines",
            ["data"] = new JsonArray(new JsonObject
            {
                ["id"] = "il_" + i.Id[3..], ["object"] = "line_item", ["amount"] = i.Subtotal, ["currency"] = i.Currency, ["quantity"] = 1,
                ["period"] = new JsonObject { ["start"] = i.PeriodStart, ["end"] = i.PeriodEnd },
            }),
        },
    };
}
