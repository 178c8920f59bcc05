using System.Net;
using Payments.Core.Providers;
using Sdk = global::Stripe;

namespace Payments.Providers.Stripe;

/// <summary>
/// Stripe Connect for the marketplace (<see cref="IConnectedAccountsProvider"/>): Express accounts with card payments and
/// transfers, hosted onboarding links, destination charges (<c>application_fee_amount</c> + <c>transfer_data[destination]</c>,
/// both computed by us in minor units), the account's payout schedule, and the Connect endpoint's own webhook proof
/// (<c>STRIPE_CONNECT_WEBHOOK_SECRET</c>). Refunds of destination charges are in <see cref="RefundAsync"/>
/// (<see cref="RefundRequest.ReverseSplit"/>).
/// </summary>
public sealed partial class StripeProvider : IConnectedAccountsProvider, IConnectWebhookVerifier
{
    private const string ConnectMethod = "hmac-sha256";

    public async Task<ConnectedAccount> CreateAccountAsync(ConnectedAccountRequest request, CancellationToken cancellationToken)
    {
        // Without the Connect endpoint's secret no account.updated could be believed, so the vendor would stay pending forever.
        if (string.IsNullOrEmpty(options.ConnectWebhookSecret))
            throw new ProviderErrorException(ProviderName,
                $"Stripe Connect needs {StripeOptions.ConnectWebhookSecretVariable}, the signing secret of the Connect webhook endpoint that sends account.updated.");
        var account = await SendAsync("Creating a connected account",
            ct => V1.Accounts.CreateAsync(StripeConnectRequests.Account(request), StripeRequests.Idempotent(request.IdempotencyKey), ct),
            null, cancellationToken);
        return AccountOf(account);
    }

    public async Task<ConnectedAccount?> GetAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        var account = await SendAsync("Retrieving a connected account", ct => V1.Accounts.GetAsync(accountId, null, null, ct),
            // Stripe answers an account that is not (or no longer) ours with 403 account_invalid, an unknown id with 404.
            e => e.HttpStatusCode == HttpStatusCode.NotFound || e.StripeError?.Code == "account_invalid" ? NoAccount : null,
            cancellationToken);
        return ReferenceEquals(account, NoAccount) ? null : AccountOf(account);
    }

    public async Task<Uri> CreateOnboardingLinkAsync(string accountId, Uri refreshUrl, Uri returnUrl, CancellationToken cancellationToken)
    {
        // Links are single-use and expire within minutes: every call is meant to mint a new one, so the key is fresh
        // per call (the SDK's own retries of this call still reuse it).
        var link = await SendAsync("Creating an account link",
            ct => V1.AccountLinks.CreateAsync(StripeConnectRequests.OnboardingLink(accountId, refreshUrl, returnUrl),
                StripeRequests.Idempotent($"{accountId}-link-{Guid.NewGuid():N}"), ct),
            null, cancellationToken);
        return Uri.TryCreate(link.Url, UriKind.Absolute, out var url)
            ? url
            : throw new ProviderErrorException(ProviderName, $"The account link for {accountId} came back without a URL.");
    }

    public Task<CheckoutResult> CreateDestinationCheckoutAsync(CheckoutRequest request, DestinationCharge destination, CancellationToken cancellationToken) =>
        DestinationCheckoutAsync(request, destination, null, null, cancellationToken);

    /// <summary>
    /// A destination charge's amount and fee in Stripe's units: the fee in the payment's currency, both exact in Stripe's
    /// unit of it (else the provider error says why), never rounded.
    /// </summary>
    private static (long Amount, long Fee) DestinationAmounts(CheckoutRequest request, DestinationCharge destination)
    {
        if (destination.ApplicationFee.Currency != request.Amount.Currency)
            throw new ArgumentException($"The fee is in {destination.ApplicationFee.Currency.Code}, the payment in {request.Amount.Currency.Code}.", nameof(destination));
        if (!StripeAmounts.TryToStripe(request.Amount, out var amount, out var why))
            throw new ProviderErrorException(ProviderName, why);
        if (!StripeAmounts.TryToStripe(destination.ApplicationFee, out var fee, out why))
            throw new ProviderErrorException(ProviderName, $"Platform fee: {why}");
        return (amount, fee);
    }

    /// <summary>
    /// The destination checkout; <paramref name="session"/> and <paramref name="intent"/> add to the request's options
    /// (a saving checkout's <c>customer</c> and <c>setup_future_usage</c>, StripeProvider.SavedMethods.cs).
    /// </summary>
    private async Task<CheckoutResult> DestinationCheckoutAsync(CheckoutRequest request, DestinationCharge destination,
        Action<Sdk.Checkout.SessionCreateOptions>? session, Action<Sdk.PaymentIntentCreateOptions>? intent, CancellationToken cancellationToken)
    {
        var (amount, fee) = DestinationAmounts(request, destination);
        var idempotent = StripeRequests.Idempotent(request.IdempotencyKey);

        if (request.Mode == CheckoutMode.Embedded)
        {
            return await SendAsync("Creating a destination PaymentIntent", async ct =>
            {
                var options = StripeConnectRequests.DestinationIntent(request, amount, destination.AccountId, fee);
                intent?.Invoke(options);
                var created = await V1.PaymentIntents.CreateAsync(options, idempotent, ct);
                return new CheckoutResult(created.Id, null, StripeMapper.IntentStatus(created), created.ClientSecret, created.Id,
                    created.LastPaymentError?.DeclineCode ?? created.LastPaymentError?.Code, created.LastPaymentError?.Message);
            }, Declined, cancellationToken);
        }

        var sessionOptions = StripeConnectRequests.DestinationSession(request, amount, destination.AccountId, fee, clock.GetUtcNow());
        session?.Invoke(sessionOptions);
        var opened = await SendAsync("Creating a destination Checkout Session",
            ct => V1.Checkout.Sessions.CreateAsync(sessionOptions, idempotent, ct), null, cancellationToken);
        if (!Uri.TryCreate(opened.Url, UriKind.Absolute, out var url))
            throw new ProviderErrorException(ProviderName, $"Checkout Session {opened.Id} came back without a URL.");
        return new CheckoutResult(opened.Id, url, ProviderPaymentStatus.Pending, ProviderReference: opened.PaymentIntentId);
    }

    /// <summary>
    /// Pushes the schedule to <c>settings[payouts][schedule]</c>. <paramref name="minimumPayout"/> stays ours: Stripe has
    /// no payout threshold (docs/decisions.md). Each call carries a fresh key: a vendor may go back to a schedule it had
    /// earlier today, and a key derived from the schedule would replay the old answer without changing the account.
    /// </summary>
    public Task UpdatePayoutScheduleAsync(string accountId, PayoutSchedule schedule, Core.Money.Money minimumPayout, CancellationToken cancellationToken) =>
        SendAsync("Updating a connected account's payout schedule",
            ct => V1.Accounts.UpdateAsync(accountId, StripeConnectRequests.PayoutSchedule(schedule),
                StripeRequests.Idempotent($"{accountId}-payouts-{Guid.NewGuid():N}"), ct),
            null, cancellationToken);

    /// <summary>The Connect endpoint's proof: the same scheme as the platform endpoint, with the Connect endpoint's secret.</summary>
    public Task<WebhookVerification> VerifyConnectAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.ConnectWebhookSecret))
            return Task.FromResult(WebhookVerification.Rejected(ConnectMethod,
                $"{StripeOptions.ConnectWebhookSecretVariable} is not set, so no Connect webhook can be verified."));
        var check = StripeWebhookVerifier.Verify(request.Header(StripeWebhookVerifier.SignatureHeader), request.Body.Span,
            options.ConnectWebhookSecret, request.ReceivedAt, options.WebhookTolerance);
        return Task.FromResult(check.IsValid ? WebhookVerification.Accepted(ConnectMethod) : WebhookVerification.Rejected(ConnectMethod, check.Failure!));
    }

    /// <summary>Stands for "Stripe does not know this account" inside <see cref="SendAsync{T}"/>, which answers objects only.</summary>
    private static readonly Sdk.Account NoAccount = new();

    private static ConnectedAccount AccountOf(Sdk.Account a)
    {
        var due = (a.Requirements?.PastDue ?? []).Concat(a.Requirements?.CurrentlyDue ?? []).Distinct(StringComparer.Ordinal).ToList();
        return new ConnectedAccount(a.Id, a.ChargesEnabled, a.PayoutsEnabled, a.DetailsSubmitted, due, a.Requirements?.DisabledReason);
    }
}
