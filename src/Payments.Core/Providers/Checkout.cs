using Payments.Core.Money;

namespace Payments.Core.Providers;

/// <summary>How the customer will pay: on the provider's page, or in a card form we embed.</summary>
public enum CheckoutMode
{
    /// <summary>Redirect to the provider (Stripe Checkout, PayPal approval, the dummy's page).</summary>
    Hosted,
    /// <summary>An intent whose client secret the caller's page uses (Stripe PaymentIntents).</summary>
    Embedded,
}

/// <summary>What to charge and where to send the customer afterwards. The amount is decided by us.</summary>
/// <param name="PaymentId">Our public id (<c>pay_…</c>); providers carry it in metadata so events can find it.</param>
/// <param name="Amount">Exactly what to charge, in minor units.</param>
/// <param name="Description">Line item shown to the customer, e.g. "Pro plan".</param>
/// <param name="IdempotencyKey">Derived from our payment id: a retried create returns the same checkout.</param>
/// <param name="WalletToken">What a wallet (Google Pay, Apple Pay) gave the buyer's browser, as the caller sent it;
/// only <see cref="IWalletProvider"/>s read it, and charge it at once. Never stored or logged.</param>
public sealed record CheckoutRequest(
    string PaymentId,
    Money.Money Amount,
    string Description,
    Uri SuccessUrl,
    Uri CancelUrl,
    string IdempotencyKey,
    DateTimeOffset? ExpiresAt = null,
    CheckoutMode Mode = CheckoutMode.Hosted,
    string? CustomerEmail = null,
    IReadOnlyDictionary<string, string>? Metadata = null,
    string? WalletToken = null);

/// <summary>The provider's answer to a checkout request.</summary>
/// <param name="ProviderPaymentId">The provider's id for this checkout (session, order, intent).</param>
/// <param name="RedirectUrl">Where the customer goes to pay; null for embedded intents.</param>
/// <param name="ClientSecret">For embedded card forms (Stripe PaymentIntents); never stored.</param>
/// <param name="Wallet">Which wallet paid, as the provider's charge says (<c>google_pay</c>, <c>apple_pay</c>); null when none did or it is not known yet.</param>
public sealed record CheckoutResult(
    string ProviderPaymentId,
    Uri? RedirectUrl,
    ProviderPaymentStatus Status = ProviderPaymentStatus.Pending,
    string? ClientSecret = null,
    string? ProviderReference = null,
    string? FailureCode = null,
    string? FailureMessage = null,
    string? Wallet = null);

/// <summary>A payment's status in the provider's own view, normalized.</summary>
public enum ProviderPaymentStatus
{
    /// <summary>Open: waiting for the customer or for an asynchronous method to settle.</summary>
    Pending,
    Succeeded,
    /// <summary>The provider refused the payment (card declined, capture denied).</summary>
    Declined,
    Canceled,
    Expired,
    /// <summary>The provider does not say (or does not know the id); nothing should change.</summary>
    Unknown,
}

public static class ProviderPaymentStatusExtensions
{
    /// <summary>
    /// A status learned by asking the provider, as the event it amounts to (a capture's answer, a
    /// refetched order): one mapping, so every path that turns an answer into news agrees.
    /// </summary>
    public static ProviderEventKind AsEventKind(this ProviderPaymentStatus status) => status switch
    {
        ProviderPaymentStatus.Succeeded => ProviderEventKind.PaymentSucceeded,
        ProviderPaymentStatus.Pending => ProviderEventKind.PaymentPending,
        ProviderPaymentStatus.Declined => ProviderEventKind.PaymentFailed,
        ProviderPaymentStatus.Canceled => ProviderEventKind.PaymentCanceled,
        ProviderPaymentStatus.Expired => ProviderEventKind.PaymentExpired,
        _ => ProviderEventKind.Informational,
    };
}

/// <summary>What the provider says about a payment when asked directly.</summary>
/// <param name="Amount">What the provider charged or will charge; null when it does not say.</param>
/// <param name="RefundedTotal">Everything refunded so far (cumulative), when the provider reports it.</param>
/// <param name="ProviderReference">A secondary id later events use (Stripe PaymentIntent, PayPal capture).</param>
public sealed record ProviderPayment(
    string ProviderPaymentId,
    ProviderPaymentStatus Status,
    Money.Money? Amount,
    Money.Money? RefundedTotal = null,
    string? ProviderReference = null,
    string? PaymentId = null,
    string? FailureCode = null,
    string? FailureMessage = null);
