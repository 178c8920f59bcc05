namespace Payments.Core.Providers;

/// <summary>
/// A wallet (Google Pay, Apple Pay): not a processor but a way to hand a card to one. The buyer's
/// browser gets a token from the wallet, create-intent sends it along (<see cref="CheckoutRequest.WalletToken"/>),
/// and the wallet's gateway (<see cref="ProviderDescriptor.Gateway"/>) charges it at once; that
/// gateway's webhooks then settle the payment, which keeps the wallet's name.
/// </summary>
public interface IWalletProvider : ICheckoutProvider
{
    /// <summary>
    /// Refuses (a validation error, 422) a token that is missing or cannot be this wallet's, before
    /// anything is recorded or sent; <see cref="ICheckoutProvider.CreateCheckoutAsync"/> reads the same token again.
    /// </summary>
    void CheckToken(string? walletToken);
}
