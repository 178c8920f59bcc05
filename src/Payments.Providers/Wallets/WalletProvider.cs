using Payments.Core.Providers;
using Payments.Providers.Stripe;

namespace Payments.Providers.Wallets;

/// <summary>
/// Google Pay or Apple Pay through Stripe. The wallet gives the buyer's browser a Stripe card token;
/// create-intent charges it at once (<see cref="StripeWalletGateway.ChargeTokenAsync"/>). The payment
/// keeps the wallet's name (<c>googlepay</c>, <c>applepay</c>) while Stripe holds the money: its
/// provider id is the PaymentIntent, so asking about it and refunding it are Stripe's, and Stripe's
/// webhooks settle it (the descriptor's <see cref="ProviderDescriptor.Gateway"/> tells the intake).
/// There is no webhook route of the wallet's own: Stripe delivers each event once, to Stripe's route.
/// </summary>
public sealed class WalletProvider(ProviderDescriptor descriptor, StripeProvider stripe, StripeWalletGateway gateway)
    : IWalletProvider, IRefundProvider
{
    public const string GooglePay = "googlepay";
    public const string ApplePay = "applepay";

    public ProviderDescriptor Descriptor { get; } = descriptor;

    public void CheckToken(string? walletToken) => WalletToken.StripeTokenId(walletToken, Descriptor.Name);

    public Task<CheckoutResult> CreateCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken) =>
        gateway.ChargeTokenAsync(request, WalletToken.StripeTokenId(request.WalletToken, Descriptor.Name), cancellationToken);

    public Task<ProviderPayment> GetPaymentAsync(string providerPaymentId, CancellationToken cancellationToken) =>
        stripe.GetPaymentAsync(providerPaymentId, cancellationToken);

    public Task<RefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken) =>
        stripe.RefundAsync(request, cancellationToken);

    /// <summary>What a wallet is, whatever it is called: Stripe's ids are Stripe's, its mode is Stripe's.</summary>
    internal static ProviderDescriptor Describe(string name, string displayName, bool enabled, IReadOnlyList<string> missing, StripeOptions stripe) => new()
    {
        Name = name,
        DisplayName = displayName,
        IsEnabled = enabled,
        IsLive = enabled && stripe.Live,
        MissingSettings = missing,
        // pi_… ids belong to Stripe by shape; lookups by them also find the wallets Stripe carries.
        OwnsPaymentId = _ => false,
        Gateway = StripeProvider.ProviderName,
    };
}
