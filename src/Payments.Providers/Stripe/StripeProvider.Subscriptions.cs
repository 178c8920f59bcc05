using System.Net;
using Payments.Core.Providers;
using Sdk = global::Stripe;

namespace Payments.Providers.Stripe;

/// <summary>
/// Stripe Billing's subscriptions (<see cref="ISubscriptionProvider"/>): Checkout in <c>mode=subscription</c> for the first
/// invoice, Subscriptions retrieved, updated (<c>cancel_at_period_end</c>) and canceled, Invoices retrieved, and billing
/// portal sessions. Every POST carries the caller's idempotency key; an id Stripe does not know answers null.
/// </summary>
public sealed partial class StripeProvider
{
    public async Task<SubscriptionCheckout> CreateSubscriptionCheckoutAsync(SubscriptionCheckoutRequest request, CancellationToken cancellationToken)
    {
        string? taxRate = null;
        if (request.TaxRateBasisPoints > 0 && request.TaxCountry is { } country)
        {
            // A tax rate is an object Stripe keeps; the key makes the same rate once (Stripe forgets keys after a day,
            // then an identical rate is made again, which is harmless: rates are never edited).
            taxRate = await SendAsync("Creating a tax rate", async ct => (await V1.TaxRates.CreateAsync(
                    StripeSubscriptionRequests.TaxRate(country, request.TaxRateBasisPoints),
                    StripeRequests.Idempotent(StripeSubscriptionRequests.Key(country, request.TaxRateBasisPoints)), ct)).Id,
                null, cancellationToken);
        }
        var session = await SendAsync("Creating a subscription Checkout Session",
            ct => V1.Checkout.Sessions.CreateAsync(StripeSubscriptionRequests.CheckoutSession(request, taxRate), StripeRequests.Idempotent(request.IdempotencyKey), ct),
            null, cancellationToken);
        if (!Uri.TryCreate(session.Url, UriKind.Absolute, out var url))
            throw new ProviderErrorException(ProviderName, $"Checkout Session {session.Id} came back without a URL.");
        return new SubscriptionCheckout(session.Id, url, session.SubscriptionId);
    }

    public Task<ProviderSubscriptionCheckout?> GetSubscriptionCheckoutAsync(string providerCheckoutId, CancellationToken cancellationToken) =>
        OrNullAsync(SendAsync("Retrieving a Checkout Session", async ct =>
        {
            var session = await V1.Checkout.Sessions.GetAsync(providerCheckoutId, null, null, ct);
            return new ProviderSubscriptionCheckout(session.Id, session.SubscriptionId, session.CustomerId,
                session.Metadata?.GetValueOrDefault("subscription_id") ?? session.ClientReferenceId);
        }, null, cancellationToken));

    public Task<ProviderSubscription> CancelSubscriptionAsync(string providerSubscriptionId, bool atPeriodEnd, string idempotencyKey,
        CancellationToken cancellationToken) =>
        atPeriodEnd
            ? UpdateSubscriptionAsync(providerSubscriptionId, cancelAtPeriodEnd: true, idempotencyKey, cancellationToken)
            : SendAsync("Canceling a subscription", async ct => StripeSubscriptionRequests.Subscription(
                await V1.Subscriptions.CancelAsync(providerSubscriptionId, null, StripeRequests.Idempotent(idempotencyKey), ct)), null, cancellationToken);

    public Task<ProviderSubscription> ResumeSubscriptionAsync(string providerSubscriptionId, string idempotencyKey, CancellationToken cancellationToken) =>
        UpdateSubscriptionAsync(providerSubscriptionId, cancelAtPeriodEnd: false, idempotencyKey, cancellationToken);

    public Task<ProviderSubscription?> GetSubscriptionAsync(string providerSubscriptionId, CancellationToken cancellationToken) =>
        OrNullAsync(SendAsync("Retrieving a subscription",
            async ct => StripeSubscriptionRequests.Subscription(await V1.Subscriptions.GetAsync(providerSubscriptionId, null, null, ct)), null, cancellationToken));

    public Task<ProviderInvoice?> GetInvoiceAsync(string providerInvoiceId, CancellationToken cancellationToken) =>
        OrNullAsync(SendAsync("Retrieving an invoice", async ct =>
            StripeSubscriptionRequests.Invoice(await V1.Invoices.GetAsync(providerInvoiceId, null, null, ct))
            ?? throw new ProviderErrorException(ProviderName, $"Invoice {providerInvoiceId} has amounts Stripe does not write."), null, cancellationToken));

    public async Task<Uri> CreatePortalSessionAsync(string providerCustomerId, Uri returnUrl, CancellationToken cancellationToken)
    {
        var session = await SendAsync("Creating a billing portal session", ct => V1.BillingPortal.Sessions.CreateAsync(
            new Sdk.BillingPortal.SessionCreateOptions { Customer = providerCustomerId, ReturnUrl = returnUrl.ToString() }, null, ct), null, cancellationToken);
        return Uri.TryCreate(session.Url, UriKind.Absolute, out var url)
            ? url
            : throw new ProviderErrorException(ProviderName, "The billing portal session came back without a URL.");
    }

    private Task<ProviderSubscription> UpdateSubscriptionAsync(string id, bool cancelAtPeriodEnd, string idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync("Updating a subscription", async ct => StripeSubscriptionRequests.Subscription(await V1.Subscriptions.UpdateAsync(id,
            new Sdk.SubscriptionUpdateOptions { CancelAtPeriodEnd = cancelAtPeriodEnd }, StripeRequests.Idempotent(idempotencyKey), ct)), null, cancellationToken);

    /// <summary>An id Stripe does not know (404) is null: nothing of ours changes.</summary>
    private static async Task<T?> OrNullAsync<T>(Task<T> call) where T : class
    {
        try
        {
            return await call;
        }
        catch (ProviderErrorException e) when (e.InnerException is Sdk.StripeException { HttpStatusCode: HttpStatusCode.NotFound })
        {
            return null;
        }
    }
}
