using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Payments.Server.Tests.Fakes.Omise;

/// <summary>A charge as the fake keeps it.</summary>
public sealed class FakeCharge
{
    public required string Id { get; init; }
    public long Amount { get; set; }
    public required string Currency { get; init; }
    public string Status { get; set; } = "pending";
    public bool Paid { get; set; }
    public string? FailureCode { get; set; }
    public string? Description { get; init; }
    public string? ReturnUri { get; init; }
    public required string SourceType { get; init; }
    public JsonObject Metadata { get; init; } = [];
    public List<FakeRefund> Refunds { get; } = [];
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? PaidAt { get; set; }
    public long RefundedAmount => Refunds.Sum(r => r.Amount);
}

public sealed record FakeRefund(string Id, string ChargeId, long Amount, string Currency, JsonObject Metadata, DateTimeOffset CreatedAt);

/// <summary>The fake's records, behind one lock (requests arrive concurrently).</summary>
public sealed class FakeOmiseState
{
    public object Gate { get; } = new();
    public Dictionary<string, FakeCharge> Charges { get; } = new(StringComparer.Ordinal);

    /// <summary>An id as Omise makes them in test mode: prefix, <c>test_</c>, 19 lower-case base-36 characters.</summary>
    public static string NewId(string prefix)
    {
        const string alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        var chars = new char[19];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        return $"{prefix}_test_{new string(chars)}";
    }

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
