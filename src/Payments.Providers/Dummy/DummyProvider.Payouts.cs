using Payments.Core.Money;
using Payments.Core.Providers;

namespace Payments.Providers.Dummy;

/// <summary>A payout of a dummy account (<c>dmpo_…</c>); the dummy's bank "pays" at once.</summary>
public sealed record DummyPayout(string AccountId, long AmountMinor, string Currency, string Status);

/// <summary>
/// Payouts on the dummy: it keeps no balance of its own (it moves no money; our ledger's balance is the whole truth),
/// and pays out what it is asked once per idempotency key, to an account whose payouts are enabled.
/// </summary>
public sealed partial class DummyProvider : IPayoutsProvider
{
    public const string PayoutKind = "payout";

    public Task<Money?> AvailableBalanceAsync(string accountId, Currency currency, CancellationToken cancellationToken) =>
        Task.FromResult<Money?>(null);

    public async Task<ProviderPayout> CreatePayoutAsync(ProviderPayoutRequest request, CancellationToken cancellationToken)
    {
        var account = await FindAccountAsync(request.AccountId, cancellationToken)
                      ?? throw new ProviderErrorException(ProviderName, $"No such account: '{request.AccountId}'.");
        // Like a real provider: an account that may not be paid out gets a failed payout, which is news, not a fault.
        var status = account.PayoutsEnabled ? "paid" : "failed";
        var created = await CreateAsync("dmpo", PayoutKind, request.IdempotencyKey,
            new DummyPayout(request.AccountId, request.Amount.Minor, request.Amount.Currency.Code, status), cancellationToken);
        var payout = Read<DummyPayout>(created);
        return new ProviderPayout(created.Id, new Money(payout.AmountMinor, Currency.Of(payout.Currency)),
            payout.Status == "paid" ? ProviderPayoutStatus.Paid : ProviderPayoutStatus.Failed, clock.GetUtcNow(),
            payout.Status == "paid" ? null : "account_payouts_disabled");
    }
}
