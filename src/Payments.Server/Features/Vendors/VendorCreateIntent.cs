using Microsoft.EntityFrameworkCore;
using Payments.Core;
using Payments.Core.Errors;
using Payments.Core.Marketplace;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Data.Sql;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Idempotency;
using Payments.Server.Features.Payments;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Vendors;

/// <summary>
/// <c>POST /api/v1/platform/vendors/{vendor_id}/payments/create-intent</c>: the host application's backend (its service
/// key) starts the payment of a vendor's order as a destination charge. Only that backend prices an order, so anyone
/// else — a browser, a user's token, a vendor — is refused with 403 (seed 002 took the amount from the browser).
/// One payment per (vendor, order_id): the payment's reference scope is the vendor and its reference the order, so
/// the existing unique key answers a repeat with the first payment. The fee is <see cref="PlatformFee.Of"/>; the
/// split is written with the payment in one commit; settlement then uses the same exact amount and currency rule as
/// every payment, and <see cref="VendorLedgerEffects"/> posts the split.
/// </summary>
public static class VendorCreateIntent
{
    /// <param name="Amount">Minor units of <paramref name="Currency"/> (10000 EUR = 100.00 EUR).</param>
    /// <param name="OrderId">The host's order id: one payment per vendor and order.</param>
    public sealed record Request(
        string? OrderId, long? Amount, string? Currency, string? CustomerEmail = null, string? CustomerId = null, string? Description = null,
        string? Mode = null, string? SuccessUrl = null, string? CancelUrl = null);

    public sealed record Response(
        string PaymentId, string VendorId, string OrderId, string Provider, string? ProviderPaymentId, long AmountTotal, long AmountVendor,
        long PlatformFee, string Currency, string Status, string? RedirectUrl, string? ClientSecret, bool Repeated = false);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/platform/vendors/{vendorId}/payments/create-intent", HandleAsync)
            .WithTags("Marketplace").WithName("CreateVendorPaymentIntent")
            .WithSummary("Start a vendor order's payment as a destination charge (the host's service key only).")
            .Idempotent()
            .Produces<Response>()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> HandleAsync(
        string vendorId, Request? request, HttpContext http, ProviderRegistry providers, PaymentsDb db, SiteOptions site, TimeProvider clock,
        CancellationToken ct)
    {
        var caller = http.Caller();
        if (!caller.IsService)
            throw new PaymentsException(ErrorKind.Forbidden,
                "Only the host application's service key may start a vendor payment: the order's amount is priced by its backend, never a browser.");
        if (request is null) throw PaymentsException.BadRequest("Send {\"order_id\",\"amount\",\"currency\"}.");
        var orderId = HostFields.Reference(request.OrderId ?? throw PaymentsException.Validation("'order_id' is required."));
        var total = HostFields.Amount(request.Amount, request.Currency);
        var currency = total.Currency;
        var description = request.Description is null ? $"Order {orderId}" : HostFields.Description(request.Description);
        var successUrl = request.SuccessUrl is null ? null : RedirectHosts.Check(site.AllowedRedirectHosts, request.SuccessUrl, "success_url");
        var cancelUrl = request.CancelUrl is null ? null : RedirectHosts.Check(site.AllowedRedirectHosts, request.CancelUrl, "cancel_url");
        var mode = CheckoutInput.Mode(request.Mode);

        var vendor = await VendorAccess.FindAsync(db, vendorId, ct);
        var scope = VendorLedgerEffects.ScopePrefix + vendor.Id;
        if (await PaymentReferences.FindAsync(db, scope, orderId, ct) is { } earlier) return Results.Ok(await RepeatAsync(db, earlier, total, ct));

        var config = await VendorConfig.ViewAsync(db, vendor, ct);
        if (!config.AcceptsPayments)
            throw new PaymentsException(ErrorKind.VendorNotReady,
                    $"Vendor {vendor.Id} cannot take payments yet: its account is {config.AccountStatus}. It finishes onboarding first.")
                .With("vendor_id", vendor.Id).With("account_status", config.AccountStatus);
        var provider = providers.Get<IConnectedAccountsProvider>(vendor.Provider);
        var split = PlatformFee.Of(total, vendor.PlatformFeeBps);

        var now = clock.GetUtcNow();
        var payment = new Payment
        {
            Id = Ids.New("pay", now), Description = description, AmountMinor = total.Minor, Currency = currency.Code,
            Provider = provider.Name, Status = PaymentStatus.Created, CreatedAt = now, UpdatedAt = now,
            ReferenceScope = scope, Reference = orderId, ExpiresAt = now + site.CheckoutLifetime,
        };
        var splitRow = new VendorPayment
        {
            PaymentId = payment.Id, VendorId = vendor.Id, OrderId = orderId, AccountId = vendor.AccountId!,
            AmountVendorMinor = split.Vendor.Minor, PlatformFeeMinor = split.Fee.Minor, PlatformFeeBps = vendor.PlatformFeeBps,
        };
        var intent = Data.Audit.Entry(now, "payment.intent", caller.Audit, payment.Id, new
        {
            vendor_id = vendor.Id, order_id = orderId, amount = total.Minor, currency = currency.Code, amount_vendor = split.Vendor.Minor,
            platform_fee = split.Fee.Minor, platform_fee_bps = vendor.PlatformFeeBps, provider = provider.Name,
        });
        var metadata = new Dictionary<string, string> { ["vendor_id"] = vendor.Id, ["order_id"] = orderId };
        if (request.CustomerId is { } customer) metadata["customer_id"] = HostFields.Reference(customer);
        var checkout = new CheckoutRequest(payment.Id, total, description,
            CheckoutInput.WithPaymentId(successUrl ?? site.Absolute(http.Request, site.SuccessPath), payment.Id),
            CheckoutInput.WithPaymentId(cancelUrl ?? site.Absolute(http.Request, site.CancelPath), payment.Id),
            IdempotencyKey: $"{payment.Id}-checkout", ExpiresAt: payment.ExpiresAt, Mode: mode, CustomerEmail: request.CustomerEmail, Metadata: metadata);

        CheckoutResult result;
        try
        {
            result = await provider.CreateDestinationCheckoutAsync(checkout, new DestinationCharge(vendor.AccountId!, split.Fee), ct);
        }
        catch (PaymentsException e)
        {
            payment.Status = e.Kind == ErrorKind.ProviderUnavailable ? PaymentStatus.Created : PaymentStatus.Failed;
            payment.FailureReason = e.Message;
            payment.UpdatedAt = clock.GetUtcNow();
            if (await RecordAsync(db, payment, splitRow, total,
                    [intent, Data.Audit.Entry(payment.UpdatedAt, "payment.checkout_failed", caller.Audit, payment.Id, new { error = e.Message })], ct) is { } raced)
                return Results.Ok(raced);
            throw e.With("payment_id", payment.Id);
        }
        payment.ProviderPaymentId = result.ProviderPaymentId;
        payment.ProviderReference = result.ProviderReference;
        payment.RedirectUrl = result.RedirectUrl?.ToString();
        payment.Status = result.Status == ProviderPaymentStatus.Declined ? PaymentStatus.Failed : PaymentStatus.Pending;
        payment.FailureReason = result.FailureMessage;
        payment.UpdatedAt = clock.GetUtcNow();
        if (await RecordAsync(db, payment, splitRow, total,
            [
                intent,
                Data.Audit.Entry(payment.UpdatedAt, "payment.checkout", caller.Audit, payment.Id,
                    new { provider_payment_id = result.ProviderPaymentId, status = payment.Status.ToWire(), destination = vendor.AccountId }),
            ], ct) is { } repeat)
            return Results.Ok(repeat);
        return Results.Ok(ResponseOf(payment, splitRow, result.ClientSecret));
    }

    private static Response ResponseOf(Payment p, VendorPayment v, string? clientSecret, bool repeated = false) =>
        new(p.Id, v.VendorId, v.OrderId, p.Provider, p.ProviderPaymentId, p.AmountMinor, v.AmountVendorMinor, v.PlatformFeeMinor, p.Currency,
            p.Status.ToWire(), p.RedirectUrl, clientSecret, repeated);

    /// <summary>The first payment of this order, when the repeat asks for the same amount; 409 naming it otherwise.</summary>
    private static async Task<Response> RepeatAsync(PaymentsDb db, Payment first, Core.Money.Money asked, CancellationToken ct)
    {
        if (first.AmountMinor != asked.Minor || first.Currency != asked.Currency.Code)
            throw new PaymentsException(ErrorKind.Conflict,
                    $"Order '{first.Reference}' is already payment {first.Id} for {first.Amount}; a different amount needs a new order id.")
                .With("payment_id", first.Id).With("order_id", first.Reference);
        var split = await db.VendorPayments.AsNoTracking().SingleAsync(v => v.PaymentId == first.Id, ct);
        return ResponseOf(first, split, clientSecret: null, repeated: true);
    }

    private static async Task<Response?> RecordAsync(
        PaymentsDb db, Payment payment, VendorPayment split, Core.Money.Money asked, IReadOnlyList<AuditEntry> audits, CancellationToken ct)
    {
        try
        {
            await NewPaymentRows.WriteAsync(db, payment, null, audits,
                Outbox.HostEvents.ForPayment(PaymentStatus.Created, 0, payment, payment.UpdatedAt), CancellationToken.None, MarketplaceRows.InsertSplit(split));
            return null;
        }
        catch (Exception e) when (PaymentReferences.IsDuplicate(e))
        {
            var first = await PaymentReferences.FindAsync(db, payment.ReferenceScope!, payment.Reference!, ct)
                        ?? throw new InvalidOperationException($"Order '{payment.Reference}' collided but its payment is gone.", e);
            return await RepeatAsync(db, first, asked, ct);
        }
    }
}
