using System.Text.Json.Nodes;

namespace Payments.Server.Tests.Fakes.Omise;

/// <summary>The fake's records in Omise's wire format (API version 2019-05-29), as omise-dotnet's fixtures show them.</summary>
public static class FakeOmiseJson
{
    public static JsonObject Charge(FakeCharge c, Uri baseAddress) => new()
    {
        ["object"] = "charge",
        ["id"] = c.Id,
        ["livemode"] = false,
        ["location"] = $"/charges/{c.Id}",
        ["amount"] = c.Amount,
        ["currency"] = c.Currency,
        ["description"] = c.Description,
        ["metadata"] = c.Metadata.DeepClone(),
        ["status"] = c.Status,
        ["capture"] = true,
        ["authorized"] = c.Paid,
        ["reversed"] = false,
        ["expired"] = c.Status == "expired",
        ["paid"] = c.Paid,
        ["paid_at"] = c.PaidAt is { } at ? FakeOmiseState.Time(at) : null,
        ["refunded_amount"] = c.RefundedAmount,
        ["refunds"] = List(c.Refunds.Select(Refund), $"/charges/{c.Id}/refunds"),
        ["failure_code"] = c.FailureCode,
        ["failure_message"] = c.FailureCode is null ? null : "payment was not completed",
        ["return_uri"] = c.ReturnUri,
        // Test mode: offsite (and PromptPay) charges have a page where the payment can be completed or failed.
        ["authorize_uri"] = c.Status == "pending" ? $"{baseAddress}pay/{c.Id}" : null,
        ["source"] = new JsonObject
        {
            ["object"] = "source", ["id"] = c.Id.Replace("chrg_", "src_", StringComparison.Ordinal), ["type"] = c.SourceType,
            ["flow"] = c.SourceType == "promptpay" ? "offline" : "redirect", ["amount"] = c.Amount, ["currency"] = c.Currency,
        },
        ["created_at"] = FakeOmiseState.Time(c.CreatedAt),
    };

    public static JsonObject Refund(FakeRefund r) => new()
    {
        ["object"] = "refund",
        ["id"] = r.Id,
        ["livemode"] = false,
        ["location"] = $"/charges/{r.ChargeId}/refunds/{r.Id}",
        ["amount"] = r.Amount,
        ["currency"] = r.Currency,
        ["charge"] = r.ChargeId,
        ["status"] = "closed",
        ["metadata"] = r.Metadata.DeepClone(),
        ["transaction"] = r.Id.Replace("rfnd_", "trxn_", StringComparison.Ordinal),
        ["created_at"] = FakeOmiseState.Time(r.CreatedAt),
    };

    public static JsonObject List(IEnumerable<JsonObject> items, string location)
    {
        var data = new JsonArray(items.Cast<JsonNode>().ToArray());
        return new JsonObject
        {
            ["object"] = "list", ["data"] = data, ["limit"] = 100, ["offset"] = 0, ["total"] = data.Count,
            ["order"] = "reverse_chronological", ["location"] = location,
        };
    }

    public static string Error(string code, string message) =>
        new JsonObject { ["object"] = "error", ["location"] = $"https://www.omise.co/api-errors#{code}", ["code"] = code, ["message"] = message }.ToJsonString();
}
