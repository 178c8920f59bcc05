using Microsoft.EntityFrameworkCore;
using Payments.Core.Errors;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Auth;

namespace Payments.Server.Features.Vendors;

/// <summary>
/// <c>/api/v1/vendor/customers/{customer_id}/payment-methods</c>: the calling vendor's customers' saved cards, listed
/// with brand, last four digits and expiry only, made the default, detached. The vendor is part of every lookup: a
/// customer of another vendor, or a method of another customer, is "not found" (404) like one that never existed.
/// </summary>
public static class VendorSavedMethods
{
    public sealed record MethodView(string PaymentMethodId, string Brand, string Last4, int ExpMonth, int ExpYear, bool IsDefault);
    public sealed record MethodList(string CustomerId, IReadOnlyList<MethodView> Items);

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/vendor/customers/{customerId}/payment-methods").WithTags("Marketplace")
            .RequireAuthorization(VendorAccess.Policy);
        group.MapGet("", async (string customerId, HttpContext http, PaymentsDb db, ProviderRegistry providers, CancellationToken ct) =>
            {
                var (customer, provider) = await CustomerAsync(http, db, providers, customerId, ct);
                return Results.Ok(await ListAsync(provider, customer, ct));
            })
            .WithName("ListVendorCustomerPaymentMethods").WithSummary("A customer's saved payment methods (brand, last4, expiry; nothing more).")
            .Produces<MethodList>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/{paymentMethodId}/default", DefaultAsync)
            .WithName("SetVendorCustomerDefaultPaymentMethod").WithSummary("Make a saved method the customer's default; answers the list.")
            .Produces<MethodList>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapDelete("/{paymentMethodId}", DetachAsync)
            .WithName("DetachVendorCustomerPaymentMethod").WithSummary("Detach a saved method: it can never be charged again.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> DefaultAsync(
        string customerId, string paymentMethodId, HttpContext http, PaymentsDb db, ProviderRegistry providers, TimeProvider clock, CancellationToken ct)
    {
        var (customer, provider) = await CustomerAsync(http, db, providers, customerId, ct);
        if (!await provider.SetDefaultPaymentMethodAsync(customer.ProviderCustomerId, paymentMethodId, ct)) throw NoMethod(paymentMethodId);
        db.Add(clock.GetUtcNow(), "vendor.payment_method_default", http.Caller().Audit, null,
            new { vendor_id = customer.VendorId, customer_id = customerId, payment_method_id = paymentMethodId });
        await db.SaveWriteAsync(ct);
        return Results.Ok(await ListAsync(provider, customer, ct));
    }

    private static async Task<IResult> DetachAsync(
        string customerId, string paymentMethodId, HttpContext http, PaymentsDb db, ProviderRegistry providers, TimeProvider clock, CancellationToken ct)
    {
        var (customer, provider) = await CustomerAsync(http, db, providers, customerId, ct);
        if (!await provider.DetachPaymentMethodAsync(customer.ProviderCustomerId, paymentMethodId, ct)) throw NoMethod(paymentMethodId);
        db.Add(clock.GetUtcNow(), "vendor.payment_method_detached", http.Caller().Audit, null,
            new { vendor_id = customer.VendorId, customer_id = customerId, payment_method_id = paymentMethodId });
        await db.SaveWriteAsync(ct);
        return Results.NoContent();
    }

    private static async Task<MethodList> ListAsync(ISavedPaymentMethodsProvider provider, VendorCustomer customer, CancellationToken ct) =>
        new(customer.CustomerId, (await provider.ListPaymentMethodsAsync(customer.ProviderCustomerId, ct))
            .Select(m => new MethodView(m.PaymentMethodId, m.Brand, m.Last4, m.ExpMonth, m.ExpYear, m.IsDefault)).ToList());

    private static async Task<(VendorCustomer, ISavedPaymentMethodsProvider)> CustomerAsync(
        HttpContext http, PaymentsDb db, ProviderRegistry providers, string customerId, CancellationToken ct)
    {
        var vendor = await VendorAccess.CurrentAsync(http, db, ct);
        var customer = await VendorCustomers.FindAsync(db, vendor.Id, customerId, ct)
                       ?? throw PaymentsException.NotFound($"No customer '{customerId}' with saved payment methods.");
        return (customer, providers.Get<ISavedPaymentMethodsProvider>(customer.Provider));
    }

    private static PaymentsException NoMethod(string id) => PaymentsException.NotFound($"No saved payment method '{id}' for this customer.");
}

/// <summary>
/// A vendor's customers at its provider, and what create-intent makes of <c>setup_future_usage</c> and
/// <c>payment_method_id</c>: a customer is created at the provider the first time one of its cards is to be saved.
/// </summary>
public static class VendorCustomers
{
    /// <summary>What a vendor create-intent asks of saved methods: save the card, or charge a saved one off-session.</summary>
    public sealed record SavedMethodsUse(ISavedPaymentMethodsProvider Provider, string ProviderCustomerId, string? PaymentMethodId);

    public static Task<VendorCustomer?> FindAsync(PaymentsDb db, string vendorId, string customerId, CancellationToken ct) =>
        db.VendorCustomers.AsNoTracking().FirstOrDefaultAsync(c => c.VendorId == vendorId && c.CustomerId == customerId, ct);

    /// <summary>
    /// Null when the request asks nothing of saved methods. Saving (<c>setup_future_usage: "off_session"</c>) creates the
    /// customer at the provider once; charging (<c>payment_method_id</c>) needs a method this customer of this vendor
    /// saved, else 404. Both need <c>customer_id</c>; asking both at once is refused (a saved card is already saved).
    /// </summary>
    public static async Task<SavedMethodsUse?> UseAsync(
        PaymentsDb db, ProviderRegistry providers, Vendor vendor, string? customerId, string? email, string? setupFutureUsage, string? paymentMethodId,
        TimeProvider clock, CancellationToken ct)
    {
        if (setupFutureUsage is null && paymentMethodId is null) return null;
        if (setupFutureUsage is not null && setupFutureUsage != "off_session")
            throw PaymentsException.Validation("'setup_future_usage' is \"off_session\" (save the card for later charges) or absent.");
        if (setupFutureUsage is not null && paymentMethodId is not null)
            throw PaymentsException.Validation("Send either 'setup_future_usage' (save a new card) or 'payment_method_id' (charge a saved one), not both.");
        if (customerId is null) throw PaymentsException.Validation("Saved payment methods belong to a customer: 'customer_id' is required.");
        var id = HostFields.Reference(customerId);
        var provider = providers.Get<ISavedPaymentMethodsProvider>(vendor.Provider);
        var known = await FindAsync(db, vendor.Id, id, ct);
        if (paymentMethodId is not null)
        {
            // The method must be one this vendor's customer saved: another customer's (or vendor's) id is not found.
            if (known is null || !(await provider.ListPaymentMethodsAsync(known.ProviderCustomerId, ct)).Any(m => m.PaymentMethodId == paymentMethodId))
                throw PaymentsException.NotFound($"No saved payment method '{paymentMethodId}' for customer '{id}'.");
            return new SavedMethodsUse(provider, known.ProviderCustomerId, paymentMethodId);
        }
        if (known is not null) return new SavedMethodsUse(provider, known.ProviderCustomerId, null);

        // The key is the vendor's and the customer's: concurrent or retried first saves get one customer at the provider.
        var created = await provider.CreateCustomerAsync(new SavedMethodsCustomer(vendor.Id, id, email, $"{vendor.Id}-customer-{id}"), ct);
        db.VendorCustomers.Add(new VendorCustomer
        {
            VendorId = vendor.Id, CustomerId = id, Provider = provider.Name, ProviderCustomerId = created, CreatedAt = clock.GetUtcNow(),
        });
        try
        {
            await db.SaveWriteAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e, "vendor_customers_pkey", "vendor_customers.vendor_id", "vendor_customers.customer_id"))
        {
            db.ChangeTracker.Clear();
        }
        var row = await FindAsync(db, vendor.Id, id, ct) ?? throw new InvalidOperationException($"Customer '{id}' of {vendor.Id} was not kept.");
        return new SavedMethodsUse(provider, row.ProviderCustomerId, null);
    }
}
