using System.Text.Json;
using Payments.Server.Data.Entities;

namespace Payments.Server.Data;

/// <summary>Adds audit rows to the current unit of work, so they commit (or not) with the change.</summary>
public static class Audit
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static AuditEntry Add(this PaymentsDb db, DateTimeOffset at, string action, string actor, string? paymentId, object? data = null)
    {
        var entry = Entry(at, action, actor, paymentId, data);
        db.AuditLog.Add(entry);
        return entry;
    }

    /// <summary>An audit row not yet added anywhere (the webhook batcher writes its rows with plain SQL).</summary>
    public static AuditEntry Entry(DateTimeOffset at, string action, string actor, string? paymentId, object? data = null) => new()
    {
        At = at,
        Action = action,
        Actor = actor,
        PaymentId = paymentId,
        Data = data is null ? null : JsonSerializer.Serialize(data, Json),
    };
}
