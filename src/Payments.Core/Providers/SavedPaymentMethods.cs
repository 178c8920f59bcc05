namespace Payments.Core.Providers;

// Saved payment methods of a vendor's customers (issue 14 item 5): a customer's card is saved while paying a
// vendor's order, listed without card data beyond brand, last four digits and expiry, made the default, detached,
// and charged later without the customer present (off-session), still as a destination charge to the vendor.

/// <summary>A vendor's customer at the provider: one per (vendor, the host's customer id).</summary>
/// <param name="IdempotencyKey">Derived from the vendor and customer: a retried create is the same customer.</param>
public sealed record SavedMethodsCustomer(string VendorId, string CustomerId, string? Email, string IdempotencyKey);

/// <summary>
/// A saved card as a vendor may see it. Nothing else of the card ever leaves the provider: no number, no
/// fingerprint, no holder's name or address.
/// </summary>
public sealed record SavedPaymentMethod(string PaymentMethodId, string Brand, string Last4, int ExpMonth, int ExpYear, bool IsDefault);

/// <summary>
/// A provider that keeps a customer's payment methods for later charges (Stripe: Customers, PaymentMethods and
/// <c>off_session</c> PaymentIntents; the dummy: its own objects and test cards). Every method that names a
/// payment method also names the customer: a method that is not that customer's is "not found" (false or null),
/// so one vendor's customer can never reach another's card by its id.
/// </summary>
public interface ISavedPaymentMethodsProvider : IProvider
{
    /// <summary>The provider's customer id for a vendor's customer (created once per idempotency key).</summary>
    Task<string> CreateCustomerAsync(SavedMethodsCustomer customer, CancellationToken cancellationToken);

    /// <summary>
    /// A destination checkout that also saves the card the customer pays with to <paramref name="providerCustomerId"/>
    /// for later off-session charges (Stripe's <c>setup_future_usage=off_session</c>).
    /// </summary>
    Task<CheckoutResult> CreateSavingCheckoutAsync(
        CheckoutRequest request, DestinationCharge destination, string providerCustomerId, CancellationToken cancellationToken);

    /// <summary>
    /// Charges a saved method with the customer absent. A decline is data, never an exception: the answer's status is
    /// <see cref="ProviderPaymentStatus.Declined"/> with the provider's failure code and message. Succeeded when the
    /// money was taken at once; pending when the provider settles later (its event, or a refresh, says how it ended).
    /// </summary>
    Task<CheckoutResult> ChargeSavedMethodAsync(
        CheckoutRequest request, DestinationCharge destination, string providerCustomerId, string paymentMethodId, CancellationToken cancellationToken);

    /// <summary>The customer's saved methods, the default one marked.</summary>
    Task<IReadOnlyList<SavedPaymentMethod>> ListPaymentMethodsAsync(string providerCustomerId, CancellationToken cancellationToken);

    /// <summary>Makes a method the customer's default; false when it is not one of the customer's methods.</summary>
    Task<bool> SetDefaultPaymentMethodAsync(string providerCustomerId, string paymentMethodId, CancellationToken cancellationToken);

    /// <summary>Detaches a method (it can never be charged again); false when it is not one of the customer's methods.</summary>
    Task<bool> DetachPaymentMethodAsync(string providerCustomerId, string paymentMethodId, CancellationToken cancellationToken);
}
