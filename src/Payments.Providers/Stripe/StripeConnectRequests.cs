using Payments.Core.Providers;
using Sdk = global::Stripe;

namespace Payments.Providers.Stripe;

/// <summary>Stripe Connect's requests as Stripe.net's options (form bodies of <c>POST /v1/accounts</c>, <c>/v1/account_links</c> …).</summary>
public static class StripeConnectRequests
{
    /// <summary>The account's metadata key naming our vendor, which <c>account.updated</c> carries back.</summary>
    public const string VendorIdKey = "vendor_id";

    /// <summary>
    /// An Express account, said the way Stripe now asks for it (controller properties rather than <c>type=express</c>,
    /// which is the same configuration): Stripe collects the requirements and hosts the Express dashboard, the platform
    /// pays Stripe's fees and carries the losses. Card payments and transfers are requested, which destination charges need.
    /// </summary>
    public static Sdk.AccountCreateOptions Account(ConnectedAccountRequest request) => new()
    {
        Controller = new Sdk.AccountControllerOptions
        {
            StripeDashboard = new Sdk.AccountControllerStripeDashboardOptions { Type = "express" },
            Fees = new Sdk.AccountControllerFeesOptions { Payer = "application" },
            Losses = new Sdk.AccountControllerLossesOptions { Payments = "application" },
            RequirementCollection = "stripe",
        },
        Country = request.Country,
        Email = request.Email,
        DefaultCurrency = StripeAmounts.CurrencyParameter(request.Currency),
        Capabilities = new Sdk.AccountCapabilitiesOptions
        {
            CardPayments = new Sdk.AccountCapabilitiesCardPaymentsOptions { Requested = true },
            Transfers = new Sdk.AccountCapabilitiesTransfersOptions { Requested = true },
        },
        Metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [VendorIdKey] = request.VendorId },
    };

    /// <summary>A hosted onboarding link; Stripe sends an expired or reused link's visitor to <paramref name="refreshUrl"/>.</summary>
    public static Sdk.AccountLinkCreateOptions OnboardingLink(string accountId, Uri refreshUrl, Uri returnUrl) => new()
    {
        Account = accountId,
        Type = "account_onboarding",
        RefreshUrl = refreshUrl.AbsoluteUri,
        ReturnUrl = returnUrl.AbsoluteUri,
    };

    /// <summary>
    /// <c>settings[payouts][schedule]</c>: the interval and its anchor. The minimum payout is not sent: Stripe has no
    /// payout threshold (its balance settings' <c>minimum_balance_by_currency</c> is an amount kept back after every
    /// payout, not a floor below which none is made); see docs/decisions.md.
    /// </summary>
    public static Sdk.AccountUpdateOptions PayoutSchedule(PayoutSchedule schedule) => new()
    {
        Settings = new Sdk.AccountSettingsOptions
        {
            Payouts = new Sdk.AccountSettingsPayoutsOptions
            {
                Schedule = new Sdk.AccountSettingsPayoutsScheduleOptions
                {
                    Interval = schedule.Interval switch
                    {
                        PayoutInterval.Daily => "daily",
                        PayoutInterval.Weekly => "weekly",
                        PayoutInterval.Monthly => "monthly",
                        PayoutInterval.Manual => "manual",
                        _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule.Interval, null),
                    },
                    WeeklyAnchor = schedule.Interval == PayoutInterval.Weekly ? schedule.WeeklyAnchor : null,
                    MonthlyAnchor = schedule.Interval == PayoutInterval.Monthly ? schedule.MonthlyAnchor : null,
                },
            },
        },
    };

    /// <summary>Our usual Checkout Session, whose PaymentIntent sends the money to the account less our fee.</summary>
    public static Sdk.Checkout.SessionCreateOptions DestinationSession(
        CheckoutRequest request, long amount, string accountId, long applicationFee, DateTimeOffset now)
    {
        var session = StripeRequests.CheckoutSession(request, amount, now);
        session.PaymentIntentData.ApplicationFeeAmount = applicationFee;
        session.PaymentIntentData.TransferData = new Sdk.Checkout.SessionPaymentIntentDataTransferDataOptions { Destination = accountId };
        return session;
    }

    /// <summary>Our usual PaymentIntent (embedded card form), with the same destination and fee.</summary>
    public static Sdk.PaymentIntentCreateOptions DestinationIntent(CheckoutRequest request, long amount, string accountId, long applicationFee)
    {
        var intent = StripeRequests.PaymentIntent(request, amount);
        intent.ApplicationFeeAmount = applicationFee;
        intent.TransferData = new Sdk.PaymentIntentTransferDataOptions { Destination = accountId };
        return intent;
    }
}
