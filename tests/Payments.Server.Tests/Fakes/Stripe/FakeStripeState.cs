using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Payments.Server.Tests.Fakes.Stripe;

internal sealed class FakeSession
{
    public required string Id { get; init; }
    public required long AmountTotal { get; init; }
    public required string Currency { get; init; }
    public required string Name { get; init; }
    public required string SuccessUrl { get; init; }
    public required string CancelUrl { get; init; }
    public string? ClientReferenceId { get; init; }
    public string? CustomerEmail { get; init; }
    public long ExpiresAt { get; init; }
    public long Created { get; init; }
    public required Dictionary<string, string> Metadata { get; init; }
    public required Dictionary<string, string> IntentMetadata { get; init; }
    public string Status { get; set; } = "open";
    public string PaymentStatus { get; set; } = "unpaid";
    public string? IntentId { get; set; }
}

internal sealed class FakeIntent
{
    public required string Id { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public string? Description { get; init; }
    public required Dictionary<string, string> Metadata { get; init; }
    public required string ClientSecret { get; init; }
    public long Created { get; init; }
    public string Status { get; set; } = "requires_payment_method";
    public long AmountReceived { get; set; }
    public JsonObject? LastPaymentError { get; set; }
    public string? CancellationReason { get; set; }
    public string? ChargeId { get; set; }
}

internal sealed class FakeCharge
{
    public required string Id { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public required string IntentId { get; init; }
    public required Dictionary<string, string> Metadata { get; init; }
    public long AmountRefunded { get; set; }
}

internal sealed record FakeRefund(string Id, long Amount, string Currency, string IntentId, string ChargeId, string? Reason,
    Dictionary<string, string> Metadata);

/// <summary>Stripe's objects as JSON, in the shapes of API version 2026-10-28.endive (only commonly read fields).</summary>
public sealed partial class FakeStripe
{
    private readonly object _state = new();
    private readonly Dictionary<string, FakeSession> _sessions = new();
    private readonly Dictionary<string, FakeIntent> _intents = new();
    private readonly Dictionary<string, FakeCharge> _charges = new();
    private readonly Dictionary<string, FakeRefund> _refunds = new();

    private JsonObject? RenderSession(string id, string[] expand) =>
        _sessions.TryGetValue(id, out var session) ? RenderSession(session, expand) : null;

    private JsonObject RenderSession(FakeSession s, string[] expand)
    {
        JsonNode? intent = s.IntentId;
        if (s.IntentId is not null && expand.Any(e => e == "payment_intent" || e.StartsWith("payment_intent.", StringComparison.Ordinal)))
            intent = RenderIntent(_intents[s.IntentId], expand.Contains("payment_intent.latest_charge") ? ["latest_charge"] : []);
        return new JsonObject
        {
            ["id"] = s.Id, ["object"] = "checkout.session", ["amount_subtotal"] = s.AmountTotal, ["amount_total"] = s.AmountTotal,
            ["cancel_url"] = s.CancelUrl, ["client_reference_id"] = s.ClientReferenceId, ["created"] = s.Created, ["currency"] = s.Currency,
            ["customer_email"] = s.CustomerEmail, ["expires_at"] = s.ExpiresAt, ["livemode"] = false, ["metadata"] = Json(s.Metadata),
            ["mode"] = "payment", ["payment_intent"] = intent, ["payment_status"] = s.PaymentStatus, ["status"] = s.Status,
            ["success_url"] = s.SuccessUrl, ["url"] = s.Status == "open" ? $"https://checkout.stripe.com/c/pay/{s.Id}" : null,
        };
    }

    private JsonObject? RenderIntent(string id, string[] expand) =>
        _intents.TryGetValue(id, out var intent) ? RenderIntent(intent, expand) : null;

    private JsonObject RenderIntent(FakeIntent i, string[] expand)
    {
        JsonNode? charge = i.ChargeId;
        if (i.ChargeId is not null && expand.Contains("latest_charge")) charge = RenderCharge(_charges[i.ChargeId]);
        return new JsonObject
        {
            ["id"] = i.Id, ["object"] = "payment_intent", ["amount"] = i.Amount, ["amount_received"] = i.AmountReceived,
            ["automatic_payment_methods"] = new JsonObject { ["enabled"] = true }, ["cancellation_reason"] = i.CancellationReason,
            ["capture_method"] = "automatic", ["client_secret"] = i.ClientSecret, ["created"] = i.Created, ["currency"] = i.Currency,
            ["description"] = i.Description, ["last_payment_error"] = i.LastPaymentError?.DeepClone(), ["latest_charge"] = charge,
            ["livemode"] = false, ["metadata"] = Json(i.Metadata), ["status"] = i.Status,
        };
    }

    private static JsonObject RenderCharge(FakeCharge c) => new()
    {
        ["id"] = c.Id, ["object"] = "charge", ["amount"] = c.Amount, ["amount_captured"] = c.Amount, ["amount_refunded"] = c.AmountRefunded,
        ["captured"] = true, ["currency"] = c.Currency, ["livemode"] = false, ["metadata"] = Json(c.Metadata), ["paid"] = true,
        ["payment_intent"] = c.IntentId, ["refunded"] = c.AmountRefunded == c.Amount, ["status"] = "succeeded",
    };

    private static JsonObject RenderRefund(FakeRefund r) => new()
    {
        ["id"] = r.Id, ["object"] = "refund", ["amount"] = r.Amount, ["charge"] = r.ChargeId, ["currency"] = r.Currency,
        ["metadata"] = Json(r.Metadata), ["payment_intent"] = r.IntentId, ["reason"] = r.Reason, ["status"] = "succeeded",
    };

    private static JsonObject Json(Dictionary<string, string> map)
    {
        var json = new JsonObject();
        foreach (var (key, value) in map) json[key] = value;
        return json;
    }

    private static string NewId(string prefix)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        return prefix + RandomNumberGenerator.GetString(alphabet, 24);
    }
}

/// <summary>Decodes <c>application/x-www-form-urlencoded</c> keeping order and repeated keys.</summary>
internal static class FormCodec
{
    public static IReadOnlyList<KeyValuePair<string, string>> Decode(string body) =>
        body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(kv => new KeyValuePair<string, string>(Unescape(kv[0]), kv.Length > 1 ? Unescape(kv[1]) : ""))
            .ToList();

    private static string Unescape(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
}
