using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Payments.Server.Tests.Fakes.MobilePay;

/// <summary>One ePayment payment as the fake keeps it: state, amounts in minor units, and its event log.</summary>
public sealed class FakeVippsPayment
{
    public required string Reference { get; init; }
    public required string Currency { get; init; }
    public required long Amount { get; init; }
    public required string ReturnUrl { get; init; }
    public required string Description { get; init; }
    public required string Token { get; init; }
    public required string PspReference { get; init; }
    public string State { get; set; } = "CREATED";
    public long Authorized { get; set; }
    public long Captured { get; set; }
    public long Refunded { get; set; }
    public long Cancelled { get; set; }
    public List<FakeVippsEvent> Events { get; } = [];
}

/// <summary>An entry of a payment's event log, and what a webhook about it says.</summary>
public sealed record FakeVippsEvent(string Name, string PspReference, long Amount, string? IdempotencyKey, bool Success, DateTimeOffset Timestamp);

/// <summary>A webhook registration (POST /webhooks/v1/webhooks).</summary>
public sealed record FakeVippsWebhook(string Id, Uri Url, IReadOnlyList<string> Events, string Secret);

public sealed class FakeMobilePayState
{
    public object Gate { get; } = new();
    public Dictionary<string, FakeVippsPayment> Payments { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, FakeVippsWebhook> Webhooks { get; } = new(StringComparer.Ordinal);

    /// <summary>Vipps's pspReferences are long decimal numbers, one per operation.</summary>
    public static string NewPspReference() => RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static JsonObject Amount(string currency, long value) => new() { ["currency"] = currency, ["value"] = value };

    /// <summary>GET /epayment/v1/payments/{reference}, and the body of capture, refund and cancel answers.</summary>
    public static JsonObject Render(FakeVippsPayment p, string? pspReference = null, Uri? landing = null) => new()
    {
        ["aggregate"] = new JsonObject
        {
            ["authorizedAmount"] = Amount(p.Currency, p.Authorized),
            ["cancelledAmount"] = Amount(p.Currency, p.Cancelled),
            ["capturedAmount"] = Amount(p.Currency, p.Captured),
            ["refundedAmount"] = Amount(p.Currency, p.Refunded),
        },
        ["amount"] = Amount(p.Currency, p.Amount),
        ["state"] = p.State,
        ["paymentMethod"] = new JsonObject { ["type"] = "WALLET" },
        ["profile"] = new JsonObject(),
        ["pspReference"] = pspReference ?? p.PspReference,
        ["redirectUrl"] = landing is null ? null : $"{landing}landing?token={p.Token}",
        ["reference"] = p.Reference,
    };

    public static JsonObject Problem(int status, string title, string detail) => new()
    {
        ["type"] = "https://developer.vippsmobilepay.com/docs/APIs/epayment-api/api-guide/errors",
        ["title"] = title,
        ["detail"] = detail,
        ["status"] = status,
        ["traceId"] = Guid.NewGuid().ToString("N"),
    };
}
