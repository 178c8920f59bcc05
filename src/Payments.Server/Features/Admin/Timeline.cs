using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Admin;

/// <summary>
/// One payment's history, oldest first, from the three places it is written: the audit log (every
/// change with who did it), the verified webhook events (with the raw body each signature covered)
/// and the refunds (with their current state). An audit row and the event or refund it is about
/// are shown as one entry, matched by event id or refund id.
/// </summary>
internal static class Timeline
{
    /// <summary>Enough for any real payment; a payment flooded with events still renders quickly.</summary>
    private const int MaxEntries = 500;

    private sealed record Entry(DateTimeOffset At, int Order, string Html);

    public static async Task<string> RenderAsync(PaymentsDb db, Payment payment, IReadOnlyList<Refund> refunds, CancellationToken ct)
    {
        var audit = await db.AuditLog.AsNoTracking().Where(a => a.PaymentId == payment.Id)
            .OrderBy(a => a.Id).Take(MaxEntries).ToListAsync(ct);
        var events = await db.PaymentEvents.AsNoTracking().Where(e => e.PaymentId == payment.Id)
            .OrderBy(e => e.Id).Take(MaxEntries).ToListAsync(ct);
        var eventsById = events.GroupBy(e => e.ExternalEventId).ToDictionary(g => g.Key, g => g.First());
        var refundsById = refunds.ToDictionary(r => r.Id);
        var shownEvents = new HashSet<long>();
        var shownRefunds = new HashSet<string>();

        var entries = new List<Entry>();
        // A refund's confirmation is already shown by its request entry (the refund's current state), and the
        // payment's move by "Refund applied"; the audit log page lists the row itself.
        foreach (var row in audit.Where(a => a.Action != Payments.Refunds.RefundService.SucceededAction))
        {
            using var data = row.Data is null ? null : JsonDocument.Parse(row.Data);
            var facts = data?.RootElement.ValueKind == JsonValueKind.Object ? data.RootElement : default;
            var extra = "";
            if (row.Action == "payment.webhook" && Text(facts, "event_id") is { } eventId && eventsById.TryGetValue(eventId, out var ev))
            {
                shownEvents.Add(ev.Id);
                extra = RawBody(ev);
            }
            if (Text(facts, "refund_id") is { } refundId && refundsById.TryGetValue(refundId, out var refund) && shownRefunds.Add(refundId))
                extra = RefundNow(refund);
            entries.Add(new Entry(row.At, 0, Item(row.Action, TitleOf(row.Action, facts), row.At, row.Actor, Facts(facts), extra)));
        }
        // Rows the audit log does not mention (older data, or written by a path without an audit row).
        foreach (var ev in events.Where(e => !shownEvents.Contains(e.Id)))
            entries.Add(new Entry(ev.ReceivedAt, 1, Item("payment.webhook", $"Webhook {ev.EventType}", ev.ReceivedAt, $"provider:{ev.Provider}",
                $"<dt>verification</dt><dd>{Html.E(ev.Verification)}</dd><dt>outcome</dt><dd>{Html.E(ev.Outcome)}</dd>", RawBody(ev))));
        foreach (var refund in refunds.Where(r => !shownRefunds.Contains(r.Id)))
            entries.Add(new Entry(refund.CreatedAt, 2, Item("payment.refund_requested", "Refund", refund.CreatedAt, refund.RequestedBy, "", RefundNow(refund))));

        if (entries.Count == 0) return "<p>Nothing recorded yet.</p>";
        var html = new StringBuilder("<ol class=\"timeline\">");
        foreach (var entry in entries.OrderBy(e => e.At).ThenBy(e => e.Order)) html.Append(entry.Html);
        return html.Append("</ol>").ToString();
    }

    private static string TitleOf(string action, JsonElement facts) => action switch
    {
        "payment.intent" => "Payment created",
        "payment.checkout" => "Checkout opened at the provider",
        "payment.checkout_failed" => "Checkout could not be opened",
        "payment.webhook" => $"Webhook {Text(facts, "type")} — signature {(facts.ValueKind == JsonValueKind.Object && facts.TryGetProperty("signature_ok", out var ok) && ok.ValueKind == JsonValueKind.True ? "verified" : "NOT verified")}",
        "payment.finalize" => "Finalized: paid",
        "payment.conflict" => "Conflict: needs an operator",
        "payment.status" => $"Status {Text(facts, "from")} → {Text(facts, "to")}",
        "payment.refund_requested" => "Refund requested",
        "payment.refund" => "Refund applied",
        "payment.refund_failed" => "Refund failed",
        "payment.refund_pending" => "Refund pending at the provider",
        "payment.refund_unknown" => "Refund outcome unknown (stays reserved)",
        Payments.Refunds.OutsideRefunds.RecordedAction => "Refund made at the provider, recorded",
        "payment.transition_rejected" => "Change refused",
        _ => action,
    };

    private static string Item(string action, string title, DateTimeOffset at, string actor, string facts, string extra)
    {
        var css = action.Replace('.', '-').Replace('_', '-');
        return $"""
            <li class="{Html.E(css)}">
              <h3>{Html.E(title)}</h3>
              <p class="meta">{AdminLayout.Time(at)} · {Html.E(actor)} · <code>{Html.E(action)}</code></p>
              {(facts.Length == 0 ? "" : $"<dl class=\"facts\">{facts}</dl>")}
              {extra}
            </li>
            """;
    }

    /// <summary>Audit data keys that hold minor units of the row's <c>currency</c>.</summary>
    private static readonly HashSet<string> MoneyFacts = ["amount", "refunded"];

    /// <summary>
    /// The audit row's data as name/value pairs (values as JSON text, encoded). Amounts are stored in
    /// minor units next to their currency; people read them as money ("4.00 EUR", not 400).
    /// </summary>
    private static string Facts(JsonElement facts)
    {
        if (facts.ValueKind != JsonValueKind.Object) return "";
        Core.Money.Currency.TryOf(Text(facts, "currency"), out var currency);
        var html = new StringBuilder();
        foreach (var property in facts.EnumerateObject())
        {
            var value = currency is not null && MoneyFacts.Contains(property.Name) && property.Value.TryGetInt64(out var minor)
                ? new Core.Money.Money(minor, currency).ToString()
                : property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
            html.Append($"<dt>{Html.E(property.Name)}</dt><dd>{Html.E(value)}</dd>");
        }
        return html.ToString();
    }

    private static string RawBody(PaymentEvent ev) => $"""
        <details><summary>Raw body of {Html.E(ev.ExternalEventId)} ({Html.E(ev.Verification)}, {Html.E(ev.Outcome)})</summary>
        <pre><code>{Html.E(ev.RawBody)}</code></pre></details>
        """;

    private static string RefundNow(Refund r)
    {
        var money = new Core.Money.Money(r.AmountMinor, Core.Money.Currency.Of(r.Currency));
        var why = r.FailureReason is null ? "" : $" — {Html.E(r.FailureReason)}";
        return $"<p class=\"refund-now\">Refund {Html.E(r.Id)} of {Html.E(money.ToString())}: <strong>{Html.E(r.Status)}</strong>{why}</p>";
    }

    private static string? Text(JsonElement facts, string name) =>
        facts.ValueKind == JsonValueKind.Object && facts.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;
}
