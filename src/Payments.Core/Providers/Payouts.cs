namespace Payments.Core.Providers;

// Payouts of a vendor's connected account to its bank (issue 14 item 6). When a vendor sets a minimum payout the
// account is on a manual schedule at the provider and our payout worker decides when money leaves (see
// docs/decisions.md "Minimum payouts are ours"); the provider only carries the payout out.

/// <param name="IdempotencyKey">Derived from the vendor and the schedule's period: one payout per period, whatever retries.</param>
public sealed record ProviderPayoutRequest(string AccountId, Money.Money Amount, string IdempotencyKey, string Description);

public enum ProviderPayoutStatus { Pending, InTransit, Paid, Failed, Canceled }

/// <summary>A payout as the provider reports it.</summary>
public sealed record ProviderPayout(string PayoutId, Money.Money Amount, ProviderPayoutStatus Status, DateTimeOffset? ArrivalDate = null, string? FailureCode = null);

/// <summary>A provider that pays a connected account's balance out on request (Stripe: <c>POST /v1/payouts</c> on the account).</summary>
public interface IPayoutsProvider : IProvider
{
    /// <summary>
    /// What the account could pay out now in <paramref name="currency"/> (Stripe: the balance's <c>available</c>; charges
    /// become available days after they succeed). Null when the provider keeps no balance of its own (the dummy): then
    /// our ledger's balance is the whole truth.
    /// </summary>
    Task<Money.Money?> AvailableBalanceAsync(string accountId, Money.Currency currency, CancellationToken cancellationToken);

    /// <summary>Pays <see cref="ProviderPayoutRequest.Amount"/> out of the account to its bank account (once per idempotency key).</summary>
    Task<ProviderPayout> CreatePayoutAsync(ProviderPayoutRequest request, CancellationToken cancellationToken);
}
