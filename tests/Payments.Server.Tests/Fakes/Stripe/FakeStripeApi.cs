using System.Globalization;
using System.Text.Json.Nodes;

namespace Payments.Server.Tests.Fakes.Stripe;

/// <summary>The endpoints: Checkout Sessions, PaymentIntents, Refunds (create and retrieve), as Stripe validates them
/// (wallet tokens and payment method domains: FakeStripe.Wallets.cs, FakeStripe.Domains.cs).</summary>
public sealed partial class FakeStripe
{
    private static readonly string[] SessionParams =
    [
        "mode", "success_url", "cancel_url", "client_reference_id", "customer_email", "expires_at", "line_items[0][quantity]",
        "line_items[0][price_data][currency]", "line_items[0][price_data][unit_amount]", "line_items[0][price_data][product_data][name]",
    ];
    private static readonly string[] IntentParams = ["amount", "currency", "description", "automatic_payment_methods[enabled]", "receipt_email"];
    private static readonly string[] RefundParams = ["payment_intent", "amount", "reason"];

    private (int, string) Route(RecordedRequest r) => (r.Method, r.Path) switch
    {
        _ when RouteVendorExtras(r) is { } extras => extras, // saved cards, balance, payouts: FakeStripe.SavedMethods.cs
        ("POST", "/v1/checkout/sessions") => CreateSession(r),
        ("GET", var p) when p.StartsWith("/v1/checkout/sessions/", StringComparison.Ordinal) =>
            Get(p, "checkout.session", r, (id, expand) => RenderSession(id, expand) ?? RenderSubscriptionSession(id)),
        ("POST", "/v1/payment_intents") => CreateIntent(r),
        ("GET", var p) when p.StartsWith("/v1/payment_intents/", StringComparison.Ordinal) => Get(p, "payment_intent", r, RenderIntent),
        ("POST", "/v1/refunds") => CreateRefund(r),
        (_, var p) when p.StartsWith("/v1/payment_method_domains", StringComparison.Ordinal) => PaymentMethodDomains(r),
        (_, var p) when p.StartsWith("/v1/account", StringComparison.Ordinal) => RouteConnect(r), // FakeStripe.Connect.cs
        _ => RouteBilling(r), // FakeStripeCatalog.cs: products, prices, customers, tax ids
    };

    private static (int, string) Unrecognized(RecordedRequest r) =>
        (404, StripeError("invalid_request_error", null, $"Unrecognized request URL ({r.Method}: {r.Path})."));

    private (int, string) CreateSession(RecordedRequest r)
    {
        if (r["mode"] == "subscription") return CreateSubscriptionSession(r); // FakeStripeSubscriptions.cs
        if (Unknown(r, [.. SessionParams, .. DestinationParams("payment_intent_data")], "metadata[", "payment_intent_data[metadata][") is { } unknown)
            return unknown;
        if (r["mode"] != "payment") return Invalid("mode", "Only mode=payment is expected here.");
        if (r["success_url"] is null || r["cancel_url"] is null) return Invalid("success_url", "success_url and cancel_url are required.");
        if (r["line_items[0][quantity]"] != "1" || r["line_items[0][price_data][product_data][name]"] is not { Length: > 0 } name)
            return Invalid("line_items", "One line item with quantity 1 and a product name is expected.");
        var (amount, currency, error) = Amount(r, "line_items[0][price_data][unit_amount]", "line_items[0][price_data][currency]");
        if (error is { } bad) return bad;
        var (destination, refused) = Destination(r, "payment_intent_data", amount); // FakeStripe.Destinations.cs
        if (refused is { } notDestination) return notDestination;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var expiresAt = now + 24 * 3600;
        if (r["expires_at"] is { } rawExpiry)
        {
            if (!long.TryParse(rawExpiry, NumberStyles.None, CultureInfo.InvariantCulture, out expiresAt))
                return Invalid("expires_at", "Invalid integer.", "parameter_invalid_integer");
            if (expiresAt < now + 30 * 60 || expiresAt > now + 24 * 3600)
                return Invalid("expires_at", "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.");
        }
        var session = new FakeSession
        {
            Id = NewId("cs_test_"), AmountTotal = amount, Currency = currency, Name = name, SuccessUrl = r["success_url"]!,
            CancelUrl = r["cancel_url"]!, ClientReferenceId = r["client_reference_id"], CustomerEmail = r["customer_email"],
            ExpiresAt = expiresAt, Created = now, Metadata = Map(r, "metadata"), IntentMetadata = Map(r, "payment_intent_data[metadata]"),
        };
        lock (_state)
        {
            _sessions[session.Id] = session;
            if (destination is not null) _destinations[session.Id] = destination;
        }
        return (200, RenderSession(session, []).ToJsonString());
    }

    private (int, string) CreateIntent(RecordedRequest r)
    {
        if (r["confirm"] is not null) return CreateConfirmedIntent(r); // a wallet's token, charged at once (FakeStripe.Wallets.cs)
        if (Unknown(r, [.. IntentParams, .. DestinationParams("")], "metadata[") is { } unknown) return unknown;
        var (amount, currency, error) = Amount(r, "amount", "currency");
        if (error is { } bad) return bad;
        var (destination, refused) = Destination(r, "", amount);
        if (refused is { } notDestination) return notDestination;
        var id = NewId("pi_");
        var intent = new FakeIntent
        {
            Id = id, Amount = amount, Currency = currency, Description = r["description"], Metadata = Map(r, "metadata"),
            ClientSecret = $"{id}_secret_{NewId("")}", Created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
        lock (_state)
        {
            _intents[id] = intent;
            if (destination is not null) _destinations[id] = destination;
            if (Interlocked.Exchange(ref _declineNextIntent, null) is not { } declineCode)
                return (200, RenderIntent(intent, []).ToJsonString());
            // As when a PaymentIntent is created with confirm=true and the card is declined: 402, card_error.
            DeclineIntent(intent, declineCode);
            var declined = intent.LastPaymentError!.DeepClone().AsObject();
            declined["payment_intent"] = RenderIntent(intent, []);
            return (402, new JsonObject { ["error"] = declined }.ToJsonString());
        }
    }

    private string? _declineNextIntent;

    /// <summary>The next PaymentIntent created is declined on the spot (HTTP 402 card_error).</summary>
    public void DeclineNextIntent(string declineCode) => _declineNextIntent = declineCode;

    private (int, string) CreateRefund(RecordedRequest r)
    {
        if (Unknown(r, [.. RefundParams, .. ReversalParams], "metadata[") is { } unknown) return unknown;
        lock (_state)
        {
            if (r["payment_intent"] is not { } intentId || !_intents.TryGetValue(intentId, out var intent))
                return (400, StripeError("invalid_request_error", "resource_missing", $"No such payment_intent: '{r["payment_intent"]}'", "payment_intent"));
            if (intent.ChargeId is null || !_charges.TryGetValue(intent.ChargeId, out var charge))
                return Invalid("payment_intent", $"This PaymentIntent ({intentId}) does not have a successful charge to refund.");
            if (CheckReversal(r, intentId) is { } cannotReverse) return cannotReverse;
            var left = charge.Amount - charge.AmountRefunded;
            if (left == 0)
                return (400, StripeError("invalid_request_error", "charge_already_refunded", $"Charge {charge.Id} has already been refunded."));
            var amount = r["amount"] is { } raw ? long.Parse(raw, CultureInfo.InvariantCulture) : left;
            if (amount <= 0) return Invalid("amount", "Invalid positive integer", "parameter_invalid_integer");
            if (amount > left)
                return (400, StripeError("invalid_request_error", "amount_too_large",
                    $"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})", "amount"));
            var refund = new FakeRefund(NewId("re_"), amount, charge.Currency, intentId, charge.Id, r["reason"], Map(r, "metadata"));
            _refunds[refund.Id] = refund;
            RecordReversal(r, refund.Id, amount);
            charge.AmountRefunded += amount;
            Emit("charge.refunded", RenderCharge(charge));
            return (200, RenderRefund(refund).ToJsonString());
        }
    }

    private (int, string) Get(string path, string kind, RecordedRequest r, Func<string, string[], JsonObject?> render)
    {
        // Stripe takes expand[]=… and expand[0]=… alike (Stripe.net sends the indexed form); nothing else here.
        if (Unknown(r, [], "expand[") is { } unknown) return unknown;
        var id = Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
        var expand = r.Form.Where(p => p.Key.StartsWith("expand[", StringComparison.Ordinal)).Select(p => p.Value).ToArray();
        lock (_state)
        {
            return render(id, expand) is { } found
                ? (200, found.ToJsonString())
                : (404, StripeError("invalid_request_error", "resource_missing", $"No such {kind}: '{id}'", "id"));
        }
    }

    /// <summary>Stripe refuses parameters it does not know (a typo is a 400, never silently ignored).</summary>
    private (int, string)? Unknown(RecordedRequest r, string[] exact, params string[] prefixes)
    {
        foreach (var (key, _) in r.Form)
            if (!exact.Contains(key) && !prefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal) && key.EndsWith(']')))
                return Refuse(r, (400, StripeError("invalid_request_error", "parameter_unknown", $"Received unknown parameter: {key}", key)));
        return null;
    }

    /// <summary>An integer amount in Stripe's unit and a lower-case currency, with Stripe's special cases.</summary>
    private static (long Amount, string Currency, (int, string)? Error) Amount(RecordedRequest r, string amountKey, string currencyKey)
    {
        var currency = r[currencyKey] ?? "";
        if (currency.Length != 3 || currency.Any(c => c is < 'a' or > 'z'))
            return (0, "", Invalid(currencyKey, $"Invalid currency: {currency}. Stripe currencies are lower-case ISO codes."));
        if (!long.TryParse(r[amountKey], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
            return (0, "", Invalid(amountKey, $"Invalid positive integer: {r[amountKey]}", "parameter_invalid_integer"));
        if (currency is "bhd" or "jod" or "kwd" or "omr" or "tnd" && amount % 10 != 0)
            return (0, "", Invalid(amountKey, "Three-decimal amounts must end in 0.", "invalid_charge_amount"));
        if (currency == "isk" && amount % 100 != 0)
            return (0, "", Invalid(amountKey, "Currency ISK has become effectively zero-decimal and charged amounts must be evenly divisible by 100.",
                "invalid_charge_amount_no_decimal_compatible"));
        return (amount, currency, null);
    }

    private static Dictionary<string, string> Map(RecordedRequest r, string prefix) =>
        r.Form.Where(p => p.Key.StartsWith(prefix + "[", StringComparison.Ordinal) && p.Key.Count(c => c == '[') == prefix.Count(c => c == '[') + 1)
            .ToDictionary(p => p.Key[(prefix.Length + 1)..^1], p => p.Value);

    private static (int, string) Invalid(string param, string message, string? code = null) =>
        (400, StripeError("invalid_request_error", code, message, param));

    internal static string StripeError(string type, string? code, string message, string? param = null) =>
        new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code, ["doc_url"] = code is null ? null : $"https://stripe.com/docs/error-codes/{code.Replace('_', '-')}",
                ["message"] = message, ["param"] = param, ["type"] = type,
            },
        }.ToJsonString();
}
