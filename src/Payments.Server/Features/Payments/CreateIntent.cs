using Payments.Core;
using Payments.Core.Errors;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Data.Sql;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Idempotency;
using Payments.Server.Features.Limits;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Payments;

/// <summary>
/// <c>POST /api/v1/payment/create-intent</c>: the price comes from the plan (or the credits) on the
/// server; any amount a client sends is not even read. Our id is made before the provider is called, so
/// the provider call carries an idempotency key derived from it; the row is written once, with the
/// provider's answer (or its failure), in one commit. Nothing can be paid before that commit: the
/// customer only gets the checkout URL (or client secret) from our answer (see docs/decisions.md).
/// </summary>
public static class CreateIntent
{
    /// <summary>Only these fields are bound; "amount" or "currency" in the body are ignored by design.
    /// <c>mode</c>: "hosted" (default, redirect to the provider) or "embedded" (a client secret for a card form).</summary>
    /// <param name="UserId">Buy on behalf of this user (service keys and admins only; a user buys for themself).</param>
    /// <param name="CreditPackage">Buy a credit package instead of a plan (see <see cref="PurchaseResolver"/>).</param>
    /// <param name="Credits">Buy this many credits instead of a plan (1 credit = 1 US cent).</param>
    public sealed record Request(
        string? Plan = null, string? Provider = null, string? Mode = null, string? UserId = null, string? CreditPackage = null, long? Credits = null);

    public sealed record Response(
        string PaymentId, string Provider, string? ProviderPaymentId, string? RedirectUrl, string? ClientSecret,
        long Amount, string Currency, string Status);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/payment/create-intent", HandleAsync)
            .WithTags("Payments")
            .WithSummary("Start a payment for a plan or for credits; returns where to send the customer.")
            .Produces<Response>()
            .RequireRateLimiting(RateLimits.CreateIntent)
            .Idempotent()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>The buyer: the signed-in user, or whom a service key or admin names.</summary>
    private static string? OwnerFor(Caller caller, string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested)) return caller.OwnerId;
        if (caller.SeesAll) return requested.Trim();
        if (caller.Kind == CallerKind.User && caller.Id == requested.Trim()) return caller.Id;
        throw new PaymentsException(ErrorKind.Forbidden, "Only service keys and admins may buy on behalf of another user ('user_id').");
    }

    internal static async Task<IResult> HandleAsync(
        Request? request, HttpContext http, PurchaseResolver purchases, ProviderRegistry providers, PaymentsDb db,
        SiteOptions site, TimeProvider clock, ILogger<Request> log, CancellationToken ct)
    {
        if (request is null) throw PaymentsException.BadRequest("Send a JSON body like {\"plan\":\"basic\"}.");
        return Results.Ok(await StartAsync(request, http, purchases, providers, db, site, clock, log, ct));
    }

    /// <summary>The whole use case, shared by this API route and the storefront's "Pay now" form.</summary>
    internal static async Task<Response> StartAsync(
        Request request, HttpContext http, PurchaseResolver purchases, ProviderRegistry providers, PaymentsDb db,
        SiteOptions site, TimeProvider clock, ILogger<Request> log, CancellationToken ct)
    {
        var caller = http.Caller();
        var owner = OwnerFor(caller, request.UserId);
        var purchase = purchases.Resolve(request.Plan, request.CreditPackage, request.Credits, caller, owner);
        var provider = providers.Get<ICheckoutProvider>(request.Provider);
        var mode = request.Mode?.ToLowerInvariant() switch
        {
            null or "" or "hosted" => CheckoutMode.Hosted,
            "embedded" => CheckoutMode.Embedded,
            _ => throw PaymentsException.Validation($"Unknown mode '{request.Mode}': use \"hosted\" or \"embedded\"."),
        };
        var now = clock.GetUtcNow();
        var actor = caller.Audit;

        var payment = new Payment
        {
            Id = Ids.New("pay", now),
            Plan = purchase.Plan,
            Description = purchase.Description,
            AmountMinor = purchase.Price.Minor,
            Currency = purchase.Price.Currency.Code,
            OwnerId = owner,
            Provider = provider.Name,
            Status = PaymentStatus.Created,
            CreatedAt = now,
            UpdatedAt = now,
        };
        // Written with the provider's answer below, in the same commit.
        var intent = Data.Audit.Entry(now, "payment.intent", actor, payment.Id, new
        {
            plan = purchase.Plan, credits = purchase.Credits, amount = payment.AmountMinor, currency = payment.Currency, provider = provider.Name,
        });

        var checkout = new CheckoutRequest(
            payment.Id, purchase.Price, purchase.Description,
            site.Absolute(http.Request, $"{site.SuccessPath}?payment_id={payment.Id}"),
            site.Absolute(http.Request, $"{site.CancelPath}?payment_id={payment.Id}"),
            IdempotencyKey: $"{payment.Id}-checkout",
            ExpiresAt: now + site.CheckoutLifetime,
            Mode: mode,
            Metadata: purchase.Metadata(payment.Id));

        CheckoutResult result;
        try
        {
            result = await provider.CreateCheckoutAsync(checkout, ct);
        }
        catch (PaymentsException e)
        {
            // Unavailable: the checkout may or may not exist at the provider, but the customer never got
            // its URL, so nothing can be paid through it. Record why and let the caller start again.
            // Anything else (a provider error, an amount the provider cannot represent) fails the payment.
            payment.Status = e.Kind == ErrorKind.ProviderUnavailable ? PaymentStatus.Created : PaymentStatus.Failed;
            payment.FailureReason = e.Message;
            payment.UpdatedAt = clock.GetUtcNow();
            await RecordAsync(db, payment, purchase,
                [intent, Data.Audit.Entry(payment.UpdatedAt, "payment.checkout_failed", actor, payment.Id, new { error = e.Message })]);
            log.LogWarning(e, "Checkout for {PaymentId} at {Provider} failed", payment.Id, provider.Name);
            http.RequestServices.GetRequiredService<MoneyLog>().Created(payment.Provider, payment.Status);
            throw e.With("payment_id", payment.Id);
        }

        payment.ProviderPaymentId = result.ProviderPaymentId;
        payment.ProviderReference = result.ProviderReference;
        payment.RedirectUrl = result.RedirectUrl?.ToString();
        payment.Status = result.Status switch
        {
            ProviderPaymentStatus.Declined => PaymentStatus.Failed,
            _ => PaymentStatus.Pending,
        };
        payment.FailureReason = result.FailureMessage;
        payment.UpdatedAt = clock.GetUtcNow();
        // The provider has it now: not cancelled with the request, so our half is not lost.
        await RecordAsync(db, payment, purchase,
        [
            intent,
            Data.Audit.Entry(payment.UpdatedAt, "payment.checkout", actor, payment.Id,
                new { provider_payment_id = result.ProviderPaymentId, status = payment.Status.ToWire() }),
        ]);

        http.RequestServices.GetRequiredService<MoneyLog>().Created(payment.Provider, payment.Status);
        return new Response(payment.Id, payment.Provider, payment.ProviderPaymentId, payment.RedirectUrl,
            result.ClientSecret, payment.AmountMinor, payment.Currency, payment.Status.ToWire());
    }

    /// <summary>The payment, its purchase and audit rows, and (when it failed at once) the host's <c>payment.failed</c>, in one write.</summary>
    private static Task RecordAsync(PaymentsDb db, Payment payment, Purchase purchase, IReadOnlyList<AuditEntry> audits) =>
        NewPaymentRows.WriteAsync(db, payment, PurchaseResolver.PurchaseRow(payment, purchase), audits,
            Outbox.HostEvents.ForPayment(PaymentStatus.Created, 0, payment, payment.UpdatedAt), CancellationToken.None);
}
