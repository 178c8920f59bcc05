using Payments.Core.Providers;

namespace Payments.Providers.Dummy;

/// <summary>A vendor's customer at the dummy (<c>dmcus_…</c>, kind <c>pm_customer</c>) and its default method.</summary>
public sealed record DummyMethodsCustomer(string VendorId, string CustomerId, string? Email, string? DefaultPaymentMethod);

/// <summary>A saved card at the dummy (<c>dmpm_…</c>). Only the test card's brand and last four digits are kept.</summary>
public sealed record DummyPaymentMethod(string Customer, string Brand, string Last4, int ExpMonth, int ExpYear, bool DeclinesOffSession, bool Detached);

/// <summary>A checkout that saves its card when paid (<c>dmsetup_{checkout}</c>); <see cref="SavedMethod"/> once it has.</summary>
public sealed record DummySavingCheckout(string CheckoutId, string Customer, string? SavedMethod);

/// <summary>A test card of the dummy's checkout page, Stripe's numbers and behaviour.</summary>
public sealed record DummyTestCard(string Number, string Brand, bool DeclinesOffSession, string Label);

/// <summary>
/// Saved payment methods on the dummy, so a newcomer can try saving a card and charging it later with no account: the
/// checkout page of a saving checkout offers Stripe's test cards, paying saves the chosen one to the customer, and an
/// off-session charge succeeds at once, or is declined for 4000 0000 0000 0341 (Stripe's card that attaches but whose
/// charges fail), as data.
/// </summary>
public sealed partial class DummyProvider : ISavedPaymentMethodsProvider
{
    public const string MethodsCustomerKind = "pm_customer";
    public const string PaymentMethodKind = "payment_method";
    public const string SavingCheckoutKind = "checkout_setup";

    public static readonly IReadOnlyList<DummyTestCard> TestCards =
    [
        new("4242424242424242", "visa", false, "Visa 4242 (charges later succeed)"),
        new("5555555555554444", "mastercard", false, "Mastercard 4444 (charges later succeed)"),
        new("4000000000000341", "visa", true, "Visa 0341 (saved, but charges later are declined)"),
    ];

    public async Task<string> CreateCustomerAsync(SavedMethodsCustomer customer, CancellationToken cancellationToken) =>
        (await CreateAsync("dmcus", MethodsCustomerKind, customer.IdempotencyKey,
            new DummyMethodsCustomer(customer.VendorId, customer.CustomerId, customer.Email, null), cancellationToken)).Id;

    public async Task<CheckoutResult> CreateSavingCheckoutAsync(
        CheckoutRequest request, DestinationCharge destination, string providerCustomerId, CancellationToken cancellationToken)
    {
        await CustomerAsync(providerCustomerId, cancellationToken);
        var checkout = await CreateCheckoutAsync(request, cancellationToken);
        var marker = new DummySavingCheckout(checkout.ProviderPaymentId, providerCustomerId, null);
        await Billing.CreateOnceAsync($"{request.IdempotencyKey}-setup",
            new DummyBillingObject(SavingId(checkout.ProviderPaymentId), SavingCheckoutKind, Write(marker)), cancellationToken);
        return checkout;
    }

    public async Task<CheckoutResult> ChargeSavedMethodAsync(
        CheckoutRequest request, DestinationCharge destination, string providerCustomerId, string paymentMethodId, CancellationToken cancellationToken)
    {
        var method = await MethodOfAsync(providerCustomerId, paymentMethodId, cancellationToken)
                     ?? throw new ProviderErrorException(ProviderName, $"No such payment method: '{paymentMethodId}'.");
        var created = await CreateCheckoutAsync(request, cancellationToken);
        // Off-session: nobody visits the page; the dummy decides at once, as a card network would.
        var outcome = method.DeclinesOffSession ? ProviderPaymentStatus.Declined : ProviderPaymentStatus.Succeeded;
        var settled = await checkouts.SettleAsync(created.ProviderPaymentId, outcome, cancellationToken);
        var status = settled?.Status ?? outcome;
        return status == ProviderPaymentStatus.Declined
            ? new CheckoutResult(created.ProviderPaymentId, null, status, FailureCode: "card_declined",
                FailureMessage: $"The {method.Brand} card ending {method.Last4} was declined (a dummy test card that declines off-session charges).")
            : new CheckoutResult(created.ProviderPaymentId, null, status);
    }

    public async Task<IReadOnlyList<SavedPaymentMethod>> ListPaymentMethodsAsync(string providerCustomerId, CancellationToken cancellationToken)
    {
        var customer = await CustomerAsync(providerCustomerId, cancellationToken);
        return (await Billing.ListAsync(PaymentMethodKind, cancellationToken))
            .Select(o => (o.Id, Method: Read<DummyPaymentMethod>(o)))
            .Where(m => m.Method.Customer == providerCustomerId && !m.Method.Detached)
            .Select(m => new SavedPaymentMethod(m.Id, m.Method.Brand, m.Method.Last4, m.Method.ExpMonth, m.Method.ExpYear, m.Id == customer.DefaultPaymentMethod))
            .ToList();
    }

    public async Task<bool> SetDefaultPaymentMethodAsync(string providerCustomerId, string paymentMethodId, CancellationToken cancellationToken)
    {
        if (await MethodOfAsync(providerCustomerId, paymentMethodId, cancellationToken) is null) return false;
        var customer = await CustomerAsync(providerCustomerId, cancellationToken);
        return await Billing.UpdateAsync(providerCustomerId, Write(customer with { DefaultPaymentMethod = paymentMethodId }), cancellationToken);
    }

    public async Task<bool> DetachPaymentMethodAsync(string providerCustomerId, string paymentMethodId, CancellationToken cancellationToken)
    {
        if (await MethodOfAsync(providerCustomerId, paymentMethodId, cancellationToken) is not { } method) return false;
        await Billing.UpdateAsync(paymentMethodId, Write(method with { Detached = true }), cancellationToken);
        var customer = await CustomerAsync(providerCustomerId, cancellationToken);
        if (customer.DefaultPaymentMethod == paymentMethodId)
            await Billing.UpdateAsync(providerCustomerId, Write(customer with { DefaultPaymentMethod = null }), cancellationToken);
        return true;
    }

    /// <summary>Whether the checkout page should offer test cards to save (null: an ordinary checkout).</summary>
    public Task<DummySavingCheckout?> SavingCheckoutAsync(string checkoutId, CancellationToken cancellationToken) =>
        FindAsync<DummySavingCheckout>(SavingId(checkoutId), SavingCheckoutKind, cancellationToken);

    /// <summary>
    /// The customer paid a saving checkout with <paramref name="cardNumber"/>: the card is saved to the customer (once,
    /// however often the page is posted) and becomes the default when the customer had none. False for a card that is
    /// not one of <see cref="TestCards"/>, or a checkout that saves nothing.
    /// </summary>
    public async Task<bool> SaveCardAsync(string checkoutId, string? cardNumber, CancellationToken cancellationToken)
    {
        if (await SavingCheckoutAsync(checkoutId, cancellationToken) is not { } saving) return false;
        if (saving.SavedMethod is not null) return true;
        if (TestCards.FirstOrDefault(c => c.Number == cardNumber) is not { } card) return false;
        var expires = clock.GetUtcNow().AddYears(3);
        var created = await CreateAsync("dmpm", PaymentMethodKind, $"{checkoutId}-method",
            new DummyPaymentMethod(saving.Customer, card.Brand, card.Number[^4..], expires.Month, expires.Year, card.DeclinesOffSession, false), cancellationToken);
        await Billing.UpdateAsync(SavingId(checkoutId), Write(saving with { SavedMethod = created.Id }), cancellationToken);
        var customer = await CustomerAsync(saving.Customer, cancellationToken);
        if (customer.DefaultPaymentMethod is null)
            await Billing.UpdateAsync(saving.Customer, Write(customer with { DefaultPaymentMethod = created.Id }), cancellationToken);
        return true;
    }

    private static string SavingId(string checkoutId) => "dmsetup_" + checkoutId;

    private async Task<DummyMethodsCustomer> CustomerAsync(string providerCustomerId, CancellationToken ct) =>
        await FindAsync<DummyMethodsCustomer>(providerCustomerId, MethodsCustomerKind, ct)
        ?? throw new ProviderErrorException(ProviderName, $"No such customer: '{providerCustomerId}'.");

    /// <summary>The method when it is the customer's and still attached; null otherwise (another customer's is not found).</summary>
    private async Task<DummyPaymentMethod?> MethodOfAsync(string providerCustomerId, string paymentMethodId, CancellationToken ct) =>
        await FindAsync<DummyPaymentMethod>(paymentMethodId, PaymentMethodKind, ct) is { Detached: false } method && method.Customer == providerCustomerId
            ? method
            : null;
}
