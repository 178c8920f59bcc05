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

    /// <summary>
    /// Plain SQL for writers that bypass EF (create-intent, the webhook batch): an INSERT of
    /// <paramref name="rows"/> audit rows whose placeholders start after <paramref name="before"/>.
    /// VALUES are in list order, so ids follow the order the rows were made in.
    /// </summary>
    public static string InsertSql(int rows, int before = 0) =>
        before == 0 && rows < InsertSqlByRows.Length ? InsertSqlByRows[rows] ??= BuildInsertSql(rows, 0) : BuildInsertSql(rows, before);

    /// <summary>The common shapes, made once: every webhook delivery and create-intent writes a few audit rows.</summary>
    private static readonly string?[] InsertSqlByRows = new string?[16];

    private static string BuildInsertSql(int rows, int before) =>
        "INSERT INTO audit_log (at, action, payment_id, actor, data) VALUES " +
        string.Join(", ", Enumerable.Range(0, rows).Select(i =>
            "(" + string.Join(", ", Enumerable.Range(before + i * 5 + 1, 5).Select(n => "$" + n)) + ")"));

    /// <summary>The arguments of <see cref="InsertSql"/>, row after row.</summary>
    public static IEnumerable<Arg> InsertArgs(IEnumerable<AuditEntry> rows, DatabaseKind kind) =>
        rows.SelectMany(a => new[] { Arg.Time(a.At, kind), Arg.Text(a.Action), Arg.Text(a.PaymentId), Arg.Text(a.Actor), Arg.Text(a.Data) });

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
