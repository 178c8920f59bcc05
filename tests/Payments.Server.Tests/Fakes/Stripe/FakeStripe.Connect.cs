using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Payments.Server.Tests.Fakes.Stripe;

/// <summary>
/// Stripe Connect as the API reference describes it: <c>POST /v1/accounts</c> (an Express account said either as
/// <c>type=express</c> or with controller properties, never both), <c>GET</c>/<c>POST /v1/accounts/{id}</c> (the payout
/// schedule under <c>settings[payouts][schedule]</c>), and <c>POST /v1/account_links</c>. Tests finish onboarding here
/// (<see cref="Onboard"/>) and deliver the <c>account.updated</c> Stripe sends to a Connect endpoint: the event names the
/// account at its top level and is signed with the Connect endpoint's own secret (<see cref="DeliverConnectAsync"/>).
/// </summary>
public sealed partial class FakeStripe
{
    private static readonly string[] AccountParams =
    [
        "type", "country", "email", "default_currency", "capabilities[card_payments][requested]", "capabilities[transfers][requested]",
        "controller[stripe_dashboard][type]", "controller[fees][payer]", "controller[losses][payments]", "controller[requirement_collection]",
    ];
    private static readonly string[] AccountUpdateParams =
    [
        "settings[payouts][schedule][interval]", "settings[payouts][schedule][weekly_anchor]", "settings[payouts][schedule][monthly_anchor]",
        "settings[payouts][schedule][delay_days]",
    ];
    private static readonly string[] Weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    private static readonly string[] OnboardingDue = ["business_type", "external_account", "tos_acceptance.date", "tos_acceptance.ip"];
    private readonly Dictionary<string, JsonObject> _accounts = new();

    /// <summary>The Connect webhook endpoint's signing secret (not <see cref="WebhookSecret"/>).</summary>
    public string ConnectWebhookSecret { get; } = "whsec_connect_" + Guid.NewGuid().ToString("N");

    /// <summary>The account as Stripe would answer it now, or null.</summary>
    public JsonObject? Account(string id)
    {
        lock (_state) return _accounts.TryGetValue(id, out var account) ? account.DeepClone().AsObject() : null;
    }

    /// <summary>The account created for one of our vendors (its <c>metadata[vendor_id]</c>), or null.</summary>
    public string? AccountIdOfVendor(string vendorId)
    {
        lock (_state)
            return _accounts.Values.Where(a => a["metadata"]?["vendor_id"]?.GetValue<string>() == vendorId)
                .Select(a => a["id"]!.GetValue<string>()).SingleOrDefault();
    }

    private (int, string) RouteConnect(RecordedRequest r)
    {
        var segments = r.Path.Split('/', StringSplitOptions.RemoveEmptyEntries); // v1, accounts|account_links, id
        return (r.Method, segments[1], segments.Length) switch
        {
            ("POST", "accounts", 2) => CreateAccount(r),
            ("GET", "accounts", 3) => Get(r.Path, "account", r, (id, _) => _accounts.GetValueOrDefault(id)),
            ("POST", "accounts", 3) => UpdateObject(r, _accounts, segments[2], "account", AccountUpdateParams, UpdatePayoutSchedule),
            ("POST", "account_links", 2) => CreateAccountLink(r),
            _ => Unrecognized(r),
        };
    }

    private (int, string) CreateAccount(RecordedRequest r)
    {
        if (Unknown(r, AccountParams, "metadata[") is { } unknown) return unknown;
        var controller = r.Form.Any(p => p.Key.StartsWith("controller[", StringComparison.Ordinal));
        if (r["type"] is not null && controller)
            return Invalid("type", "You cannot specify both `type` and `controller` when creating an account.");
        var dashboard = r["type"] ?? r["controller[stripe_dashboard][type]"] ?? "full";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var capabilities = new JsonObject();
        foreach (var name in new[] { "card_payments", "transfers" })
            if (r[$"capabilities[{name}][requested]"] == "true") capabilities[name] = "inactive";
        var account = new JsonObject
        {
            ["id"] = NewId("acct_"), ["object"] = "account", ["business_type"] = null, ["capabilities"] = capabilities, ["charges_enabled"] = false,
            ["controller"] = new JsonObject
            {
                ["fees"] = new JsonObject { ["payer"] = r["controller[fees][payer]"] ?? "application" }, ["is_controller"] = true,
                ["losses"] = new JsonObject { ["payments"] = r["controller[losses][payments]"] ?? "application" },
                ["requirement_collection"] = r["controller[requirement_collection]"] ?? "stripe",
                ["stripe_dashboard"] = new JsonObject { ["type"] = dashboard }, ["type"] = "application",
            },
            ["country"] = r["country"] ?? "US", ["created"] = now, ["default_currency"] = r["default_currency"] ?? "usd",
            ["details_submitted"] = false, ["email"] = r["email"], ["metadata"] = Json(Map(r, "metadata")), ["payouts_enabled"] = false,
            ["requirements"] = Requirements(OnboardingDue, null),
            ["settings"] = new JsonObject
            {
                ["payouts"] = new JsonObject
                {
                    ["debit_negative_balances"] = true, ["statement_descriptor"] = null,
                    ["schedule"] = new JsonObject { ["delay_days"] = 2, ["interval"] = "daily" },
                },
            },
            ["type"] = dashboard is "express" or "none" ? (dashboard == "none" ? "custom" : "express") : "standard",
        };
        lock (_state) _accounts[account["id"]!.GetValue<string>()] = account;
        return (200, account.ToJsonString());
    }

    private static (int, string)? UpdatePayoutSchedule(RecordedRequest r, JsonObject account)
    {
        var schedule = account["settings"]!["payouts"]!["schedule"]!.AsObject();
        var interval = r["settings[payouts][schedule][interval]"] ?? schedule["interval"]!.GetValue<string>();
        if (interval is not ("daily" or "weekly" or "monthly" or "manual"))
            return Invalid("settings[payouts][schedule][interval]", $"Invalid interval: must be one of daily, manual, monthly, or weekly ({interval}).");
        var weekly = r["settings[payouts][schedule][weekly_anchor]"];
        if (weekly is not null && (interval != "weekly" || !Weekdays.Contains(weekly)))
            return Invalid("settings[payouts][schedule][weekly_anchor]", "weekly_anchor is a weekday and only for a weekly interval.");
        int? monthly = null;
        if (r["settings[payouts][schedule][monthly_anchor]"] is { } rawMonthly)
        {
            if (interval != "monthly" || !int.TryParse(rawMonthly, NumberStyles.None, CultureInfo.InvariantCulture, out var day) || day is < 1 or > 31)
                return Invalid("settings[payouts][schedule][monthly_anchor]", "monthly_anchor is a day 1 to 31 and only for a monthly interval.");
            monthly = day;
        }
        schedule.Clear();
        schedule["delay_days"] = 2;
        schedule["interval"] = interval;
        if (interval == "weekly") schedule["weekly_anchor"] = weekly ?? "monday";
        if (interval == "monthly") schedule["monthly_anchor"] = monthly ?? 1;
        return null;
    }

    private (int, string) CreateAccountLink(RecordedRequest r)
    {
        if (Unknown(r, ["account", "type", "refresh_url", "return_url", "collect"]) is { } unknown) return unknown;
        if (r["type"] is not ("account_onboarding" or "account_update"))
            return Invalid("type", "type must be account_onboarding or account_update.");
        if (r["refresh_url"] is not { Length: > 0 } || r["return_url"] is not { Length: > 0 })
            return Invalid("refresh_url", "refresh_url and return_url are required for account onboarding.", "parameter_missing");
        lock (_state)
        {
            if (r["account"] is not { } id || !_accounts.ContainsKey(id))
                return (400, StripeError("invalid_request_error", "resource_missing", $"No such account: '{r["account"]}'", "account"));
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            return (200, new JsonObject
            {
                ["object"] = "account_link", ["created"] = now, ["expires_at"] = now + 300,
                ["url"] = $"https://connect.stripe.com/setup/e/{id}/{NewId("")}",
            }.ToJsonString());
        }
    }

    /// <summary>The vendor finishes Stripe's onboarding (or leaves a requirement due); returns the Connect event Stripe sends.</summary>
    public FakeEvent Onboard(string accountId, bool completed = true, DateTimeOffset? created = null)
    {
        lock (_state)
        {
            var account = _accounts[accountId];
            account["details_submitted"] = true;
            account["charges_enabled"] = completed;
            account["payouts_enabled"] = completed;
            account["requirements"] = completed ? Requirements([], null) : Requirements(["individual.verification.document"], "requirements.past_due");
            foreach (var (name, _) in account["capabilities"]!.AsObject().ToList()) account["capabilities"]![name] = completed ? "active" : "inactive";
            return EmitConnect("account.updated", accountId, account, created);
        }
    }

    /// <summary>An event of a connected account: <c>"account"</c> at the top level, <paramref name="created"/> as Stripe's timestamp.</summary>
    public FakeEvent EmitConnect(string type, string accountId, JsonObject dataObject, DateTimeOffset? created = null)
    {
        var id = NewId("evt_");
        var envelope = new JsonObject
        {
            ["id"] = id, ["object"] = "event", ["account"] = accountId, ["api_version"] = ApiVersion,
            ["created"] = (created ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
            ["data"] = new JsonObject { ["object"] = dataObject.DeepClone() }, ["livemode"] = false, ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null }, ["type"] = type,
        };
        var delivery = new FakeEvent(id, type, Encoding.UTF8.GetBytes(envelope.ToJsonString(Indented)));
        _events.Enqueue(delivery);
        return delivery;
    }

    /// <summary>POSTs a Connect event to the service's Connect route, signed with <see cref="ConnectWebhookSecret"/> unless told otherwise.</summary>
    public Task<HttpResponseMessage> DeliverConnectAsync(FakeEvent e, string? secret = null) =>
        DeliverAsync(e, secret: secret ?? ConnectWebhookSecret, path: "/api/v1/payment/webhook/stripe/connect");

    private static JsonObject Requirements(string[] due, string? disabledReason) => new()
    {
        ["alternatives"] = new JsonArray(), ["current_deadline"] = null,
        ["currently_due"] = new JsonArray(due.Select(d => (JsonNode)d).ToArray()), ["disabled_reason"] = disabledReason,
        ["errors"] = new JsonArray(), ["eventually_due"] = new JsonArray(due.Select(d => (JsonNode)d).ToArray()),
        ["past_due"] = new JsonArray(disabledReason is null ? [] : due.Select(d => (JsonNode)d).ToArray()), ["pending_verification"] = new JsonArray(),
    };
}
