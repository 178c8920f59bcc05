using System.Text.Json.Nodes;

namespace Payments.Server.Tests.Fakes.Stripe;

/// <summary>A payout as the fake received it: the account of its <c>Stripe-Account</c> header (null: the platform's own).</summary>
public sealed record FakePayout(string? Account, string Id, long Amount, string Currency, string? Description, string IdempotencyKey);

/// <summary>
/// A connected account's balance and payouts, made as the account (<c>Stripe-Account</c> header): <c>GET /v1/balance</c>
/// answers the account's <c>available</c> amounts, which a test sets (<see cref="SetAvailable"/>; money from charges
/// becomes available days later at Stripe, so nothing here adds to it), and <c>POST /v1/payouts</c> takes no more than is
/// available (400 balance_insufficient) and starts a payout <c>pending</c>. Without the header both are the platform's,
/// whose balance is large: a request that forgot the header would see money the account does not have.
/// </summary>
public sealed partial class FakeStripe
{
    private const long PlatformAvailable = 100_000_000;
    private readonly Dictionary<(string Account, string Currency), long> _available = new();
    private readonly List<FakePayout> _payouts = [];

    /// <summary>What the account could pay out now in <paramref name="currency"/> (lower case, Stripe's units).</summary>
    public void SetAvailable(string accountId, string currency, long amount)
    {
        lock (_state) _available[(accountId, currency)] = amount;
    }

    /// <summary>Every payout created, in order.</summary>
    public IReadOnlyList<FakePayout> Payouts
    {
        get { lock (_state) return _payouts.ToList(); }
    }

    private (int, string) RoutePayouts(RecordedRequest r)
    {
        var account = r.Header("Stripe-Account");
        lock (_state)
        {
            if (account is not null && !_accounts.ContainsKey(account))
                return (403, StripeError("invalid_request_error", "account_invalid",
                    $"The provided key does not have access to account '{account}' (or that account does not exist)."));
            return (r.Method, r.Path) switch
            {
                ("GET", "/v1/balance") => Unknown(r, []) ?? (200, Balance(account).ToJsonString()),
                ("POST", "/v1/payouts") => CreatePayout(r, account),
                _ => Unrecognized(r),
            };
        }
    }

    private JsonObject Balance(string? account)
    {
        var amounts = account is null
            ? [("eur", PlatformAvailable)]
            : _available.Where(b => b.Key.Account == account).Select(b => (b.Key.Currency, b.Value)).ToList();
        return new JsonObject
        {
            ["object"] = "balance", ["livemode"] = false,
            ["available"] = new JsonArray(amounts.Select(a => (JsonNode)new JsonObject
                { ["amount"] = a.Item2, ["currency"] = a.Item1, ["source_types"] = new JsonObject { ["card"] = a.Item2 } }).ToArray()),
            ["pending"] = new JsonArray(amounts.Select(a => (JsonNode)new JsonObject
                { ["amount"] = 0, ["currency"] = a.Item1, ["source_types"] = new JsonObject { ["card"] = 0 } }).ToArray()),
        };
    }

    private (int, string) CreatePayout(RecordedRequest r, string? account)
    {
        if (Unknown(r, ["amount", "currency", "description", "method", "statement_descriptor", "destination", "source_type"], "metadata[") is { } unknown)
            return unknown;
        var (amount, currency, error) = Amount(r, "amount", "currency");
        if (error is { } bad) return bad;
        var available = account is null ? PlatformAvailable : _available.GetValueOrDefault((account, currency));
        if (amount > available)
            return (400, StripeError("invalid_request_error", "balance_insufficient",
                $"You have insufficient funds in your Stripe account for this transfer. Your card balance is too low ({available} {currency}).", "amount"));
        if (account is not null) _available[(account, currency)] = available - amount;
        var now = DateTimeOffset.UtcNow;
        var payout = new FakePayout(account, NewId("po_"), amount, currency, r["description"], r.Header("Idempotency-Key")!);
        _payouts.Add(payout);
        return (200, new JsonObject
        {
            ["id"] = payout.Id, ["object"] = "payout", ["amount"] = amount, ["arrival_date"] = now.AddDays(2).ToUnixTimeSeconds(), ["automatic"] = false,
            ["balance_transaction"] = NewId("txn_"), ["created"] = now.ToUnixTimeSeconds(), ["currency"] = currency, ["description"] = r["description"],
            ["destination"] = NewId("ba_"), ["failure_balance_transaction"] = null, ["failure_code"] = null, ["failure_message"] = null,
            ["livemode"] = false, ["metadata"] = Json(Map(r, "metadata")), ["method"] = r["method"] ?? "standard", ["original_payout"] = null,
            ["reconciliation_status"] = "not_applicable", ["reversed_by"] = null, ["source_type"] = "card", ["statement_descriptor"] = null,
            ["status"] = "pending", ["type"] = "bank_account",
        }.ToJsonString());
    }
}
