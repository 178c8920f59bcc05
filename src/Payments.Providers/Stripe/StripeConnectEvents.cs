using System.Text.Json;
using Payments.Core.Providers;

namespace Payments.Providers.Stripe;

/// <summary>A connected account (<c>acct_…</c>) in <c>account.updated</c>, only the fields whose state we keep.</summary>
internal sealed record EventAccount
{
    public string Id { get; init; } = "";
    public bool ChargesEnabled { get; init; }
    public bool PayoutsEnabled { get; init; }
    public bool DetailsSubmitted { get; init; }
    public EventAccountRequirements? Requirements { get; init; }
    public Dictionary<string, string>? Metadata { get; init; }
}

internal sealed record EventAccountRequirements(List<string>? CurrentlyDue, List<string>? PastDue, string? DisabledReason);

/// <summary>
/// Stripe Connect's <c>account.updated</c> as <see cref="ConnectedAccountNews"/>. Only an event that names its connected
/// account at the top level (<c>"account": "acct_…"</c>, which Stripe adds to every event sent to a Connect endpoint) is
/// about a vendor: the same type on the platform's own endpoint describes the platform's account and changes nothing.
/// The event's <c>created</c> orders the news (deliveries come out of order); our vendor id travels in the account's
/// metadata, so an event that arrives before our own row knows the account still finds its vendor.
/// </summary>
internal static class StripeConnectEvents
{
    public const string AccountUpdated = "account.updated";

    public static ProviderEvent FromAccount(EventEnvelope e, EventAccount account)
    {
        if (string.IsNullOrEmpty(account.Id)) throw new JsonException("data.object.id is required.");
        var informational = new ProviderEvent(e.Id!, e.Type!, ProviderEventKind.Informational)
        {
            RecordType = WebhookRecordType.ConnectedAccount, RecordId = account.Id,
        };
        if (e.Account is null) return informational; // the platform's own account
        if (e.Account != account.Id)
            throw new JsonException($"The event is for connected account {e.Account} but describes {account.Id}.");
        if (e.Created is not { } created) throw new JsonException("'created' is required to order account news.");
        var due = (account.Requirements?.PastDue ?? []).Concat(account.Requirements?.CurrentlyDue ?? []).Distinct(StringComparer.Ordinal).ToList();
        var news = new ConnectedAccountNews(
            new ConnectedAccount(account.Id, account.ChargesEnabled, account.PayoutsEnabled, account.DetailsSubmitted, due,
                account.Requirements?.DisabledReason),
            DateTimeOffset.FromUnixTimeSeconds(created),
            account.Metadata?.GetValueOrDefault(StripeConnectRequests.VendorIdKey) is { Length: > 0 } vendor ? vendor : null);
        return informational with { Account = news };
    }
}
