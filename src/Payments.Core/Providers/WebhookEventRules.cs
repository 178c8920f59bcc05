namespace Payments.Core.Providers;

/// <summary>
/// What an event's ids and texts may hold before anything stores them, the same for every provider
/// and both engines. PostgreSQL refuses a NUL in text (22021) and index entries over ~2.7 KB (54000),
/// where SQLite stores either: without these rules a hostile (or broken) sender got a 500 on one
/// engine, 200 on the other, and failed the whole group-committed batch it landed in.
/// Real ids are short (Stripe <c>evt_…</c> ≈ 30 characters, PayPal <c>WH-…</c> ≈ 40).
/// </summary>
public static class WebhookEventRules
{
    /// <summary>Longest event id, type or record id we keep.</summary>
    public const int MaxIdLength = 255;

    /// <summary>Longest failure reason we keep (a provider's decline message).</summary>
    public const int MaxTextLength = 1000;

    /// <summary>Why the event cannot be recorded, or null when it can.</summary>
    public static string? Problem(ProviderEvent e) =>
        Id("id", e.EventId, required: true)
        ?? Id("type", e.EventType, required: true)
        ?? Id("payment id", e.ProviderPaymentId)
        ?? Id("our payment id", e.PaymentId)
        ?? Id("reference", e.ProviderReference)
        ?? Id("record id", e.RecordId)
        ?? Id("customer id", e.ProviderCustomerId)
        ?? Text("failure reason", e.FailureReason)
        ?? NotNegative("amount", e.Amount)
        ?? NotNegative("refunded total", e.RefundedTotal);

    /// <summary>
    /// No provider reports a negative charge or refunded total; one that says so is malformed, not a
    /// conflict with our amount (which would flag the payment on a sender's bug).
    /// </summary>
    public static string? NotNegative(string what, Money.Money? amount) =>
        amount is { IsNegative: true } m ? $"The event's {what} is negative ({m})." : null;

    /// <summary>1 to <see cref="MaxIdLength"/> characters, no control characters (NUL included), whole UTF-16.</summary>
    public static string? Id(string what, string? value, bool required = false)
    {
        if (value is null) return required ? $"The event's {what} is missing." : null;
        if (value.Length == 0) return $"The event's {what} is empty.";
        if (value.Length > MaxIdLength) return $"The event's {what} is longer than {MaxIdLength} characters.";
        foreach (var c in value)
            if (char.IsControl(c)) return $"The event's {what} holds a control character (U+{(int)c:X4}).";
        return BrokenUtf16(value) ? $"The event's {what} is not valid Unicode (a lone surrogate)." : null;
    }

    /// <summary>Free text: at most <see cref="MaxTextLength"/> characters, no NUL, whole UTF-16.</summary>
    public static string? Text(string what, string? value)
    {
        if (value is null) return null;
        if (value.Length > MaxTextLength) return $"The event's {what} is longer than {MaxTextLength} characters.";
        if (value.Contains('\0')) return $"The event's {what} holds a NUL character.";
        return BrokenUtf16(value) ? $"The event's {what} is not valid Unicode (a lone surrogate)." : null;
    }

    private static bool BrokenUtf16(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) i++;
            else if (char.IsSurrogate(value[i])) return true;
        }
        return false;
    }
}
