using Payments.Core.Providers;

namespace Payments.Core.Marketplace;

/// <summary>A vendor's connected account as the vendor page and the API show it.</summary>
public enum AccountStatus { NotConfigured, Pending, Active, Restricted, Inactive }

public static class AccountStatuses
{
    public static string ToWire(this AccountStatus status) => status switch
    {
        AccountStatus.NotConfigured => "not_configured",
        AccountStatus.Pending => "pending",
        AccountStatus.Active => "active",
        AccountStatus.Restricted => "restricted",
        AccountStatus.Inactive => "inactive",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>
    /// The status of what the provider last said (null: no account yet). Active needs both charges and payouts
    /// (a destination charge is only useful if the money can leave); until the details are submitted the vendor
    /// is still onboarding (pending); submitted but not enabled is restricted (requirements due, under review),
    /// unless the provider rejected the account for good (Stripe's <c>disabled_reason</c> <c>rejected.*</c>): inactive.
    /// Reaching the return URL proves nothing: only this decides.
    /// </summary>
    public static AccountStatus Of(ConnectedAccount? account) => account switch
    {
        null => AccountStatus.NotConfigured,
        { ChargesEnabled: true, PayoutsEnabled: true } => AccountStatus.Active,
        { DisabledReason: { } reason } when reason.StartsWith("rejected", StringComparison.Ordinal) => AccountStatus.Inactive,
        { DetailsSubmitted: false } => AccountStatus.Pending,
        _ => AccountStatus.Restricted,
    };

    /// <summary>A vendor can take payments only when its account is active.</summary>
    public static bool AcceptsPayments(this AccountStatus status) => status == AccountStatus.Active;

    /// <summary>The vendor has something to do at the provider (start or finish onboarding, answer requirements).</summary>
    public static bool NeedsOnboarding(this AccountStatus status) => status is AccountStatus.NotConfigured or AccountStatus.Pending or AccountStatus.Restricted;
}
