using System.Globalization;
using System.Security.Cryptography;

namespace Payments.Server.Tests.Fakes.PayPal;

/// <summary>What the buyer's funding source does when the order is captured.</summary>
public enum CaptureOutcome { Completed, Pending, Declined }

public sealed class FakeOrder
{
    private string _status = "";

    public required string Id { get; init; }

    /// <summary>Each change moves <see cref="UpdateTime"/> on, as PayPal's update_time does (a second approval is a new one).</summary>
    public required string Status
    {
        get => _status;
        set => (_status, Changes) = (value, Changes + 1);
    }

    public int Changes { get; private set; }
    public string UpdateTime => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(Changes).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    public required FakeAmount Amount { get; init; }
    public string? ReferenceId { get; init; }
    public string? CustomId { get; init; }
    public string? InvoiceId { get; init; }
    public string? Description { get; init; }
    public CaptureOutcome Outcome { get; set; }
    public FakeCapture? Capture { get; set; }
}

public sealed class FakeCapture
{
    public required string Id { get; init; }
    public required string OrderId { get; init; }
    public required string Status { get; set; }
    public string? StatusReason { get; set; }
    public required FakeAmount Amount { get; init; }
    public string? CustomId { get; init; }
    public string? InvoiceId { get; init; }
    public List<FakeRefund> Refunds { get; } = [];
    public long RefundedUnits => Refunds.Where(r => r.Status == "COMPLETED").Sum(r => r.Amount.Units);
}

public sealed class FakeRefund
{
    public required string Id { get; init; }
    public required string CaptureId { get; init; }
    public required string Status { get; init; }
    public required FakeAmount Amount { get; init; }
    public string? CustomId { get; init; }
    public string? InvoiceId { get; init; }
    public string? NoteToPayer { get; init; }
    /// <summary>The capture's refunded total right after this refund (PayPal's seller_payable_breakdown.total_refunded_amount).</summary>
    public required FakeAmount TotalRefunded { get; init; }
}

/// <summary>
/// An amount the way PayPal keeps it: whole units of the currency's smallest PayPal unit. The fake
/// has its own copy of PayPal's precision rules (no decimals for HUF, JPY, TWD) so that it checks
/// what the service sends instead of agreeing with it by construction.
/// </summary>
public sealed record FakeAmount(string Currency, long Units)
{
    private static readonly HashSet<string> NoDecimals = ["HUF", "JPY", "TWD"];
    private static readonly HashSet<string> Supported =
    [
        "AUD", "BRL", "CAD", "CNY", "CZK", "DKK", "EUR", "HKD", "HUF", "ILS", "INR", "JPY", "MYR", "MXN", "TWD", "NZD",
        "NOK", "PHP", "PLN", "GBP", "RUB", "SGD", "SEK", "CHF", "THB", "USD",
    ];

    public static int DecimalsOf(string currency) => NoDecimals.Contains(currency) ? 0 : 2;

    /// <summary>Parses PayPal's value, or names PayPal's issue for it (CURRENCY_NOT_SUPPORTED, DECIMAL_PRECISION, …).</summary>
    public static (FakeAmount? Amount, string? Issue) Parse(string? currency, string? value)
    {
        if (currency is null || !Supported.Contains(currency)) return (null, "CURRENCY_NOT_SUPPORTED");
        if (value is null || value.Length is 0 or > 32) return (null, "INVALID_PARAMETER_VALUE");
        var parts = value.Split('.');
        var decimals = DecimalsOf(currency);
        if (parts.Length > 2 || !parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit))) return (null, "INVALID_PARAMETER_VALUE");
        if (parts.Length == 2 && parts[1].Length > decimals) return (null, "DECIMAL_PRECISION");
        var fraction = parts.Length == 2 ? parts[1].PadRight(decimals, '0') : new string('0', decimals);
        var units = long.Parse(parts[0] + fraction, CultureInfo.InvariantCulture);
        return units > 0 ? (new FakeAmount(currency, units), null) : (null, "AMOUNT_MUST_BE_POSITIVE");
    }

    public string Value
    {
        get
        {
            var decimals = DecimalsOf(Currency);
            if (decimals == 0) return Units.ToString(CultureInfo.InvariantCulture);
            var text = Units.ToString(CultureInfo.InvariantCulture).PadLeft(decimals + 1, '0');
            return text[..^decimals] + "." + text[^decimals..];
        }
    }
}

/// <summary>PayPal's side of the world: orders, their capture and its refunds, behind one lock.</summary>
public sealed class FakePayPalState
{
    private const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    public object Gate { get; } = new();
    public Dictionary<string, FakeOrder> Orders { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, FakeCapture> Captures { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, FakeRefund> Refunds { get; } = new(StringComparer.Ordinal);

    /// <summary>A PayPal-shaped id: 17 upper-case letters and digits.</summary>
    public static string NewId() => RandomNumberGenerator.GetString(IdAlphabet, 17);

    public FakeOrder Order(string id)
    {
        lock (Gate) return Orders[id];
    }

    public FakeCapture CaptureOf(string orderId)
    {
        lock (Gate) return Orders[orderId].Capture ?? throw new InvalidOperationException($"Order {orderId} has no capture.");
    }
}
