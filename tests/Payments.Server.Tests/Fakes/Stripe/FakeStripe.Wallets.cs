using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Payments.Server.Tests.Fakes.Stripe;

/// <summary>What a wallet's token does when Stripe charges it.</summary>
public enum WalletOutcome
{
    Succeeds,
    /// <summary>The issuer declines: HTTP 402 card_error, the intent back at requires_payment_method.</summary>
    Declined,
    /// <summary>3-D Secure first: the intent waits at requires_action with a redirect_to_url.</summary>
    RequiresAction,
}

/// <summary>
/// Wallets through Stripe: card tokens as Google Pay (gateway "stripe") and Stripe.js's Payment
/// Request (Apple Pay) hand them out, a PaymentIntent created and confirmed with
/// <c>payment_method_data[card][token]</c>, its charge naming the wallet
/// (<c>payment_method_details.card.wallet.type</c>), and payment method domains. Kept apart from the
/// other endpoints' files; the only hooks are one line in <c>Route</c> and one in <c>CreateIntent</c>.
/// </summary>
public sealed partial class FakeStripe
{
    private static readonly string[] ConfirmedIntentParams =
    [
        "amount", "currency", "description", "confirm", "return_url", "receipt_email",
        "payment_method_data[type]", "payment_method_data[card][token]",
    ];

    private readonly ConcurrentDictionary<string, (string Wallet, WalletOutcome Outcome)> _tokens = new();
    private readonly ConcurrentDictionary<string, bool> _usedTokens = new();
    private readonly ConcurrentDictionary<string, string> _chargeWallets = new();
    private readonly ConcurrentDictionary<string, JsonObject> _nextActions = new();

    /// <summary>A Stripe token as the wallet gives it to the browser: the token object (Stripe.js, Apple Pay) as JSON.</summary>
    public string WalletToken(string wallet = "apple_pay", WalletOutcome outcome = WalletOutcome.Succeeds)
    {
        var id = NewId("tok_");
        _tokens[id] = (wallet, outcome);
        return new JsonObject
        {
            ["id"] = id, ["object"] = "token", ["client_ip"] = "203.0.113.7", ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false, ["type"] = "card", ["used"] = false,
            ["card"] = new JsonObject
            {
                ["id"] = NewId("card_"), ["object"] = "card", ["brand"] = "Visa", ["country"] = "US", ["exp_month"] = 12, ["exp_year"] = 2034,
                ["funding"] = "credit", ["last4"] = "4242", ["tokenization_method"] = wallet == "google_pay" ? "android_pay" : wallet,
            },
        }.ToJsonString();
    }

    /// <summary>Google Pay's <c>PaymentData</c> with gateway "stripe": the Stripe token travels as a JSON string in tokenizationData.</summary>
    public string GooglePayPaymentData(WalletOutcome outcome = WalletOutcome.Succeeds) => new JsonObject
    {
        ["apiVersion"] = 2, ["apiVersionMinor"] = 0,
        ["paymentMethodData"] = new JsonObject
        {
            ["type"] = "CARD", ["description"] = "Visa •••• 4242",
            ["info"] = new JsonObject { ["cardNetwork"] = "VISA", ["cardDetails"] = "4242" },
            ["tokenizationData"] = new JsonObject { ["type"] = "PAYMENT_GATEWAY", ["token"] = WalletToken("google_pay", outcome) },
        },
    }.ToJsonString();

    /// <summary>The tok_… id inside a token made by <see cref="WalletToken"/>.</summary>
    public static string TokenId(string tokenJson) => JsonNode.Parse(tokenJson)!["id"]!.GetValue<string>();

    /// <summary>POST /v1/payment_intents with confirm=true and a card token: charged (or declined, or held for 3-D Secure) at once.</summary>
    private (int, string) CreateConfirmedIntent(RecordedRequest r)
    {
        if (Unknown(r, ConfirmedIntentParams, "metadata[", "expand[") is { } unknown) return unknown;
        if (r["confirm"] != "true") return Invalid("confirm", "A payment_method_data token is confirmed at once here (confirm=true).");
        if (r["payment_method_data[type]"] != "card") return Invalid("payment_method_data[type]", "A wallet token is a card: type=card.");
        if (r["return_url"] is not { Length: > 0 } returnUrl || !Uri.IsWellFormedUriString(returnUrl, UriKind.Absolute))
            return Invalid("return_url", "confirm=true needs a return_url for redirect-based actions.");
        var tokenId = r["payment_method_data[card][token]"] ?? "";
        if (!_tokens.TryGetValue(tokenId, out var token))
            return (400, StripeError("invalid_request_error", "resource_missing", $"No such token: '{tokenId}'", "payment_method_data[card][token]"));
        if (!_usedTokens.TryAdd(tokenId, true))
            return (400, StripeError("invalid_request_error", "token_already_used",
                $"You cannot use a Stripe token more than once: {tokenId}.", "payment_method_data[card][token]"));
        var (amount, currency, error) = Amount(r, "amount", "currency");
        if (error is { } bad) return bad;
        var expand = r.Form.Where(p => p.Key.StartsWith("expand[", StringComparison.Ordinal)).Select(p => p.Value).ToArray();
        var id = NewId("pi_");
        var intent = new FakeIntent
        {
            Id = id, Amount = amount, Currency = currency, Description = r["description"], Metadata = Map(r, "metadata"),
            ClientSecret = $"{id}_secret_{NewId("")}", Created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
        lock (_state)
        {
            _intents[id] = intent;
            switch (token.Outcome)
            {
                case WalletOutcome.Declined:
                    DeclineIntent(intent, "card_declined");
                    var declined = intent.LastPaymentError!.DeepClone().AsObject();
                    declined["payment_intent"] = RenderIntent(intent, []);
                    return (402, new JsonObject { ["error"] = declined }.ToJsonString());
                case WalletOutcome.RequiresAction:
                    intent.Status = "requires_action";
                    _nextActions[id] = new JsonObject
                    {
                        ["type"] = "redirect_to_url",
                        ["redirect_to_url"] = new JsonObject { ["url"] = $"https://hooks.stripe.com/3d_secure_2/hosted?payment_intent={id}", ["return_url"] = returnUrl },
                    };
                    return (200, RenderWalletIntent(intent, expand).ToJsonString());
                default:
                    var charge = Succeed(intent);
                    _chargeWallets[charge.Id] = token.Wallet;
                    Emit("charge.succeeded", RenderWalletCharge(charge));
                    Emit("payment_intent.succeeded", RenderIntent(intent, []));
                    return (200, RenderWalletIntent(intent, expand).ToJsonString());
            }
        }
    }

    /// <summary>The buyer passes 3-D Secure: the held intent is charged, and Stripe says so.</summary>
    public FakeEvent CompleteAction(string intentId)
    {
        lock (_state)
        {
            var intent = _intents[intentId];
            if (intent.Status != "requires_action") throw new InvalidOperationException($"{intentId} is {intent.Status}.");
            _nextActions.TryRemove(intentId, out _);
            Succeed(intent);
            return Emit("payment_intent.succeeded", RenderIntent(intent, []));
        }
    }

    private JsonObject RenderWalletIntent(FakeIntent intent, string[] expand)
    {
        var json = RenderIntent(intent, expand);
        json["next_action"] = _nextActions.TryGetValue(intent.Id, out var action) ? action.DeepClone() : null;
        if (intent.ChargeId is { } chargeId && expand.Contains("latest_charge")) json["latest_charge"] = RenderWalletCharge(_charges[chargeId]);
        return json;
    }

    /// <summary>A charge with what the card was: Stripe names the wallet under payment_method_details.card.wallet.</summary>
    private JsonObject RenderWalletCharge(FakeCharge charge)
    {
        var json = RenderCharge(charge);
        var wallet = _chargeWallets.TryGetValue(charge.Id, out var type)
            ? new JsonObject { ["type"] = type, [type] = new JsonObject(), ["dynamic_last4"] = type == "apple_pay" ? "0119" : null }
            : null;
        json["payment_method_details"] = new JsonObject
        {
            ["type"] = "card",
            ["card"] = new JsonObject { ["brand"] = "visa", ["country"] = "US", ["exp_month"] = 12, ["exp_year"] = 2034, ["funding"] = "credit",
                ["last4"] = "4242", ["network"] = "visa", ["wallet"] = wallet },
        };
        return json;
    }
}
