namespace Payments.Core.Providers;

// Connected accounts for a marketplace (Stripe Connect and the dummy; issue "Marketplace"): a vendor
// gets an account at the provider, finishes onboarding on the provider's pages, and a customer's
// payment goes to it as a destination charge from which the platform keeps an integer fee.

public sealed record ConnectedAccountRequest(string VendorId, string Email, string Country, Money.Currency Currency, string IdempotencyKey);

/// <summary>A connected account as the provider reports it (Stripe's <c>account.updated</c> fields).</summary>
public sealed record ConnectedAccount(
    string AccountId,
    bool ChargesEnabled,
    bool PayoutsEnabled,
    bool DetailsSubmitted,
    IReadOnlyList<string> RequirementsDue,
    string? DisabledReason = null);

public enum PayoutInterval { Daily, Weekly, Monthly, Manual }

/// <summary>When the provider pays the account out; the anchor is a weekday (weekly) or a day of the month (monthly).</summary>
public sealed record PayoutSchedule(PayoutInterval Interval, string? WeeklyAnchor = null, int? MonthlyAnchor = null);

/// <summary>
/// Where a destination charge's money goes: the connected account, minus the platform's fee (minor
/// units of the payment's currency, computed by us as an integer; never a float percentage).
/// </summary>
public sealed record DestinationCharge(string AccountId, Money.Money ApplicationFee);

public interface IConnectedAccountsProvider : IProvider
{
    Task<ConnectedAccount> CreateAccountAsync(ConnectedAccountRequest request, CancellationToken cancellationToken);

    /// <summary>The account now, or null when the provider does not know it.</summary>
    Task<ConnectedAccount?> GetAccountAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>
    /// A fresh onboarding link (providers' links are single-use and expire). <paramref name="refreshUrl"/>
    /// must mint a new one; reaching <paramref name="returnUrl"/> does not prove onboarding is done.
    /// </summary>
    Task<Uri> CreateOnboardingLinkAsync(string accountId, Uri refreshUrl, Uri returnUrl, CancellationToken cancellationToken);

    /// <summary>A checkout whose money goes to <see cref="DestinationCharge.AccountId"/> less the fee.</summary>
    Task<CheckoutResult> CreateDestinationCheckoutAsync(CheckoutRequest request, DestinationCharge destination, CancellationToken cancellationToken);

    Task UpdatePayoutScheduleAsync(string accountId, PayoutSchedule schedule, Money.Money minimumPayout, CancellationToken cancellationToken);
}

/// <summary>
/// What an <c>account.updated</c> event says, for <see cref="ProviderEvent.Account"/>: the account, when the
/// provider says it was so (the event's creation time: events can arrive out of order, and an older one must
/// not undo a newer one), and the vendor our metadata on the account names (it may come before our own row
/// knows the account id).
/// </summary>
public sealed record ConnectedAccountNews(ConnectedAccount Account, DateTimeOffset ReportedAt, string? VendorId);

/// <summary>
/// A provider whose connected-account events come to an endpoint of their own with its own signing secret
/// (Stripe: a Connect webhook endpoint, <c>STRIPE_CONNECT_WEBHOOK_SECRET</c>). Parsing is the provider's usual
/// <see cref="IWebhookParser"/>; only the proof differs.
/// </summary>
public interface IConnectWebhookVerifier : IWebhookParser
{
    Task<WebhookVerification> VerifyConnectAsync(WebhookRequest request, CancellationToken cancellationToken);
}
