using System.Net;
using Payments.Core.Providers;
using Sdk = global::Stripe;

namespace Payments.Providers.Stripe;

/// <summary>
/// Saved payment methods of a vendor's customers (<see cref="ISavedPaymentMethodsProvider"/>). Destination charges are
/// made on the platform, so the customers and their cards are the platform's: a Customer per (vendor, customer), a
/// Checkout Session that saves the card it is paid with (<c>setup_future_usage=off_session</c>), and later an
/// <c>off_session</c>, confirmed PaymentIntent that is still a destination charge to the vendor's account. A card is
/// named to Stripe together with its customer, and anything that names another customer's card is "not found".
/// </summary>
public sealed partial class StripeProvider : ISavedPaymentMethodsProvider
{
    private const string OffSession = "off_session";

    public Task<string> CreateCustomerAsync(SavedMethodsCustomer customer, CancellationToken cancellationToken) =>
        SendAsync("Creating a vendor's customer", async ct => (await V1.Customers.CreateAsync(new Sdk.CustomerCreateOptions
            {
                Email = customer.Email,
                Metadata = new Dictionary<string, string>(StringComparer.Ordinal)
                    { ["customer_id"] = customer.CustomerId, [StripeConnectRequests.VendorIdKey] = customer.VendorId },
            }, StripeRequests.Idempotent(customer.IdempotencyKey), ct)).Id,
            null, cancellationToken);

    public Task<CheckoutResult> CreateSavingCheckoutAsync(
        CheckoutRequest request, DestinationCharge destination, string providerCustomerId, CancellationToken cancellationToken) =>
        DestinationCheckoutAsync(request, destination,
            session =>
            {
                session.Customer = providerCustomerId;
                session.CustomerEmail = null; // Stripe takes customer or customer_email, not both: the customer has its email
                session.PaymentIntentData.SetupFutureUsage = OffSession;
            },
            intent =>
            {
                intent.Customer = providerCustomerId;
                intent.SetupFutureUsage = OffSession;
            },
            cancellationToken);

    public async Task<CheckoutResult> ChargeSavedMethodAsync(CheckoutRequest request, DestinationCharge destination, string providerCustomerId,
        string paymentMethodId, CancellationToken cancellationToken)
    {
        var (amount, fee) = DestinationAmounts(request, destination);
        var options = StripeConnectRequests.DestinationIntent(request, amount, destination.AccountId, fee);
        options.Customer = providerCustomerId;
        options.PaymentMethod = paymentMethodId;
        options.OffSession = true;
        options.Confirm = true;
        // automatic_payment_methods with confirm=true needs a return_url, though nobody is there to be redirected.
        options.ReturnUrl = request.SuccessUrl.AbsoluteUri;
        return await SendAsync("Charging a saved payment method", async ct =>
        {
            var intent = await V1.PaymentIntents.CreateAsync(options, StripeRequests.Idempotent(request.IdempotencyKey), ct);
            // The customer is not there to authenticate: an intent waiting for 3-D Secure is a decline the host must act on.
            if (intent.Status == "requires_action")
                return new CheckoutResult(intent.Id, null, ProviderPaymentStatus.Declined, null, intent.Id, "authentication_required",
                    "authentication_required: the card's issuer asks the customer to authenticate, who is not present for an off-session charge.");
            return new CheckoutResult(intent.Id, null, StripeMapper.IntentStatus(intent), null, intent.Id,
                intent.LastPaymentError?.DeclineCode ?? intent.LastPaymentError?.Code, StripeMapper.FailureReason(intent.LastPaymentError));
        }, e => Declined(e) is { } declined ? declined with { ClientSecret = null } : null, cancellationToken);
    }

    public async Task<IReadOnlyList<SavedPaymentMethod>> ListPaymentMethodsAsync(string providerCustomerId, CancellationToken cancellationToken)
    {
        var customer = await SendAsync("Retrieving a vendor's customer",
            ct => V1.Customers.GetAsync(providerCustomerId, null, null, ct), null, cancellationToken);
        var defaultMethod = customer.InvoiceSettings?.DefaultPaymentMethodId;
        return await SendAsync("Listing a customer's payment methods", async ct =>
        {
            var methods = new List<SavedPaymentMethod>();
            await foreach (var m in V1.Customers.PaymentMethods.ListAutoPagingAsync(providerCustomerId,
                               new Sdk.CustomerPaymentMethodListOptions { Type = "card", Limit = 100 }, null, ct))
            {
                // Brand, last four and expiry only: fingerprint, billing details and the rest stay at Stripe.
                if (m.Card is { } card)
                    methods.Add(new SavedPaymentMethod(m.Id, card.Brand, card.Last4, (int)card.ExpMonth, (int)card.ExpYear, m.Id == defaultMethod));
            }
            return methods;
        }, null, cancellationToken);
    }

    public async Task<bool> SetDefaultPaymentMethodAsync(string providerCustomerId, string paymentMethodId, CancellationToken cancellationToken)
    {
        if (!await BelongsAsync(providerCustomerId, paymentMethodId, cancellationToken)) return false;
        await SendAsync("Setting a customer's default payment method", async ct => (await V1.Customers.UpdateAsync(providerCustomerId,
                new Sdk.CustomerUpdateOptions { InvoiceSettings = new Sdk.CustomerInvoiceSettingsOptions { DefaultPaymentMethod = paymentMethodId } },
                StripeRequests.Idempotent($"{providerCustomerId}-default-{Guid.NewGuid():N}"), ct)).Id,
            null, cancellationToken);
        return true;
    }

    public async Task<bool> DetachPaymentMethodAsync(string providerCustomerId, string paymentMethodId, CancellationToken cancellationToken)
    {
        if (!await BelongsAsync(providerCustomerId, paymentMethodId, cancellationToken)) return false;
        // Detaching twice is the same as once: the key is the method's.
        await SendAsync("Detaching a payment method", async ct => (await V1.PaymentMethods.DetachAsync(paymentMethodId, null,
                StripeRequests.Idempotent($"{paymentMethodId}-detach"), ct)).Id,
            null, cancellationToken);
        return true;
    }

    /// <summary>Whether Stripe has the method attached to this customer; an unknown id (404) is simply not the customer's.</summary>
    private async Task<bool> BelongsAsync(string providerCustomerId, string paymentMethodId, CancellationToken cancellationToken)
    {
        var method = await SendAsync("Retrieving a payment method", ct => V1.PaymentMethods.GetAsync(paymentMethodId, null, null, ct),
            e => e.HttpStatusCode == HttpStatusCode.NotFound ? NoMethod : null, cancellationToken);
        return !ReferenceEquals(method, NoMethod) && method.CustomerId == providerCustomerId;
    }

    /// <summary>Stands for "Stripe does not know this payment method" inside <see cref="SendAsync{T}"/>.</summary>
    private static readonly Sdk.PaymentMethod NoMethod = new();
}
