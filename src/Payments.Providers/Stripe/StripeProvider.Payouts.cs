using Payments.Core.Money;
using Payments.Core.Providers;
using Sdk = global::Stripe;

namespace Payments.Providers.Stripe;

/// <summary>
/// Payouts of a connected account (<see cref="IPayoutsProvider"/>): its balance and <c>POST /v1/payouts</c>, both made
/// as the account (the <c>Stripe-Account</c> header), since a payout moves money from the account's balance to its bank.
/// The platform's own balance is never asked. With a minimum payout the account is on a manual schedule and our
/// PayoutWorker decides when (docs/decisions.md "Minimum payouts are ours").
/// </summary>
public sealed partial class StripeProvider : IPayoutsProvider
{
    public async Task<Money?> AvailableBalanceAsync(string accountId, Currency currency, CancellationToken cancellationToken)
    {
        var balance = await SendAsync("Retrieving a connected account's balance",
            ct => V1.Balance.GetAsync(new Sdk.RequestOptions { StripeAccount = accountId }, ct), null, cancellationToken);
        var code = StripeAmounts.CurrencyParameter(currency);
        var available = (balance.Available ?? []).Where(b => b.Currency == code).Sum(b => b.Amount);
        // Stripe's unit back to ours; an amount we cannot place exactly is not guessed at.
        return StripeAmounts.FromStripe(available, code)
               ?? throw new ProviderErrorException(ProviderName, $"The balance of {accountId} in {currency.Code} ({available}) is not an amount we can hold exactly.");
    }

    public async Task<ProviderPayout> CreatePayoutAsync(ProviderPayoutRequest request, CancellationToken cancellationToken)
    {
        if (!StripeAmounts.TryToStripe(request.Amount, out var amount, out var why))
            throw new ProviderErrorException(ProviderName, $"Payout: {why}");
        var payout = await SendAsync("Creating a payout", ct => V1.Payouts.CreateAsync(new Sdk.PayoutCreateOptions
            {
                Amount = amount,
                Currency = StripeAmounts.CurrencyParameter(request.Amount.Currency),
                Description = request.Description,
            }, new Sdk.RequestOptions { IdempotencyKey = request.IdempotencyKey, StripeAccount = request.AccountId }, ct),
            null, cancellationToken);
        var paid = StripeAmounts.FromStripe(payout.Amount, payout.Currency)
                   ?? throw new ProviderErrorException(ProviderName, $"Payout {payout.Id} came back with an amount we cannot read ({payout.Amount} {payout.Currency}).");
        return new ProviderPayout(payout.Id, paid, PayoutStatus(payout.Status),
            payout.ArrivalDate == default ? null : new DateTimeOffset(DateTime.SpecifyKind(payout.ArrivalDate, DateTimeKind.Utc)),
            payout.FailureCode);
    }

    /// <summary>A payout's status; one Stripe adds later is still on its way (pending), never "paid" or "failed" by guess.</summary>
    public static ProviderPayoutStatus PayoutStatus(string? status) => status switch
    {
        "paid" => ProviderPayoutStatus.Paid,
        "in_transit" => ProviderPayoutStatus.InTransit,
        "failed" => ProviderPayoutStatus.Failed,
        "canceled" => ProviderPayoutStatus.Canceled,
        _ => ProviderPayoutStatus.Pending,
    };
}
