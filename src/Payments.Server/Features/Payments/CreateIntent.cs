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
    /// <summary>
    /// What to pay for: a <c>plan</c>, credits, or (the host's service key only) an <c>amount</c> of its own with
    /// a <c>reference</c>. With a plan or credits, "amount" and "currency" are ignored by design: the price is ours.
    /// <c>mode</c>: "hosted" (default, redirect to the provider) or "embedded" (a client secret for a card form).
    /// </summary>
    /// <param name="UserId">Buy on behalf of this user (service keys and admins only; a user buys for themself).</param>
    /// <param name="CreditPackage">Buy a credit package instead of a plan (see <see cref="PurchaseResolver"/>).</param>
    /// <param name="Credits">Buy this many credits instead of a plan (1 credit = 1 US cent).</param>
    /// <param name="Amount">Minor units (12345 THB = 123.45 THB; JPY has none). Service keys only, with currency and reference.</param>
    /// <param name="Reference">The caller's id for what is paid; one payment per caller and reference (a repeat answers the first).</param>
    /// <param name="Metadata">Up to 20 string pairs (keys up to 40 characters, values up to 500), kept and sent back as given.</param>
    /// <param name="SuccessUrl">Where the customer lands after paying, on a host ALLOWED_REDIRECT_HOSTS lists; <c>payment_id</c> is added to its query.</param>
    /// <param name="CancelUrl">Where the customer lands after giving up; same rule.</param>
    /// <param name="WalletToken">For a wallet (<c>googlepay</c>, <c>applepay</c>): the token it gave the buyer's browser, charged at once.</param>
    public sealed record Request(
        string? Plan = null, string? Provider = null, string? Mode = null, string? UserId = null, string? CreditPackage = null, long? Credits = null,
        long? Amount = null, string? Currency = null, string? Description = null, string? Reference = null,
        Dictionary<string, string?>? Metadata = null, string? SuccessUrl = null, string? CancelUrl = null, string? WalletToken = null);

    /// <param name="Repeated">True when this answers an earlier request with the same reference (no new payment was made).</param>
    public sealed record Response(
        string PaymentId, string Provider, string? ProviderPaymentId, string? RedirectUrl, string? ClientSecret,
        long Amount, string Currency, string Status, string? Reference = null,
        [property: System.Text.Json.Serialization.JsonConverter(typeof(VerbatimKeys))] IReadOnlyDictionary<string, string>? Metadata = null,
        DateTimeOffset? ExpiresAt = null, bool Repeated = false);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/payment/create-intent", HandleAsync)
            .WithTags("Payments")
            .WithSummary("Start a payment for a plan or for credits; returns where to send the customer.")
            .Produces<Response>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
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
        http.RequestServices.GetRequiredService<EndUserLimits>().Acquire(RateLimits.CreateIntent, caller, request.UserId);
        var reference = request.Reference is null ? null : HostFields.Reference(request.Reference);
        var metadata = request.Metadata is null ? null : HostFields.Metadata(request.Metadata);
        var successUrl = request.SuccessUrl is null ? null : RedirectHosts.Check(site.AllowedRedirectHosts, request.SuccessUrl, "success_url");
        var cancelUrl = request.CancelUrl is null ? null : RedirectHosts.Check(site.AllowedRedirectHosts, request.CancelUrl, "cancel_url");
        var purchase = purchases.Resolve(request.Plan, request.CreditPackage, request.Credits, caller, owner,
            new HostAmount(request.Amount, request.Currency, request.Description, reference));
        var scope = reference is null ? null : PaymentReferences.ScopeOf(caller);
        var provider = providers.Get<ICheckoutProvider>(request.Provider);
        // A wallet's token is checked before anything is written; other providers have no use for one.
        if (provider is IWalletProvider wallet) wallet.CheckToken(request.WalletToken);
        else if (request.WalletToken is not null)
            throw PaymentsException.Validation($"'wallet_token' is for wallets (googlepay, applepay), not '{provider.Name}'.");
        // A repeat is answered before the provider is asked for a second checkout.
        if (scope is not null && await PaymentReferences.FindAsync(db, scope, reference!, ct) is { } earlier)
            return PaymentReferences.Repeat(earlier, purchase);
        var mode = CheckoutInput.Mode(request.Mode);
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
            ReferenceScope = scope,
            Reference = reference,
            Metadata = metadata is null ? null : VerbatimKeys.Serialize(metadata),
            ExpiresAt = now + site.CheckoutLifetime,
        };
        // Written with the provider's answer below, in the same commit.
        var intent = Data.Audit.Entry(now, "payment.intent", actor, payment.Id, new
        {
            plan = purchase.Plan, credits = purchase.Credits, amount = payment.AmountMinor, currency = payment.Currency, provider = provider.Name,
            reference,
        });

        var checkout = new CheckoutRequest(
            payment.Id, purchase.Price, purchase.Description,
            CheckoutInput.WithPaymentId(successUrl ?? site.Absolute(http.Request, site.SuccessPath), payment.Id),
            CheckoutInput.WithPaymentId(cancelUrl ?? site.Absolute(http.Request, site.CancelPath), payment.Id),
            IdempotencyKey: $"{payment.Id}-checkout",
            ExpiresAt: payment.ExpiresAt!.Value,
            Mode: mode,
            Metadata: purchase.Metadata(payment.Id, reference),
            WalletToken: request.WalletToken);

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
            if (await RecordAsync(db, payment, purchase,
                    [intent, Data.Audit.Entry(payment.UpdatedAt, "payment.checkout_failed", actor, payment.Id, new { error = e.Message })], ct) is { } raced)
                return raced;
            log.LogWarning(e, "Checkout for {PaymentId} at {Provider} failed", payment.Id, provider.Name);
            http.RequestServices.GetRequiredService<MoneyLog>().Created(payment.Provider, payment.Status);
            throw e.With("payment_id", payment.Id);
        }

        payment.ProviderPaymentId = result.ProviderPaymentId;
        payment.ProviderReference = result.ProviderReference;
        payment.RedirectUrl = result.RedirectUrl?.ToString();
        payment.Wallet = result.Wallet;
        payment.Status = result.Status switch
        {
            ProviderPaymentStatus.Declined => PaymentStatus.Failed,
            _ => PaymentStatus.Pending,
        };
        payment.FailureReason = result.FailureMessage;
        payment.UpdatedAt = clock.GetUtcNow();
        // The provider has it now: not cancelled with the request, so our half is not lost.
        if (await RecordAsync(db, payment, purchase,
            [
                intent,
                Data.Audit.Entry(payment.UpdatedAt, "payment.checkout", actor, payment.Id,
                    new { provider_payment_id = result.ProviderPaymentId, status = payment.Status.ToWire() }),
            ], ct) is { } repeat)
            return repeat;

        http.RequestServices.GetRequiredService<MoneyLog>().Created(payment.Provider, payment.Status);
        return ResponseOf(payment, result.ClientSecret);
    }

    internal static Response ResponseOf(Payment payment, string? clientSecret, bool repeated = false) => new(
        payment.Id, payment.Provider, payment.ProviderPaymentId, payment.RedirectUrl, clientSecret, payment.AmountMinor, payment.Currency,
        payment.Status.ToWire(), payment.Reference, VerbatimKeys.Parse(payment.Metadata), payment.ExpiresAt, repeated);

    /// <summary>Our page or the caller's, told which payment it is about (the dummy, PayPal and Stripe all keep the query).</summary>

    /// <summary>
    /// The payment, its purchase and audit rows, and (when it failed at once) the host's <c>payment.failed</c>, in one write.
    /// Null when written; the first payment's answer when a concurrent request with the same reference won the race (this
    /// checkout at the provider is then never shown to anyone and expires on its own).
    /// </summary>
    private static async Task<Response?> RecordAsync(PaymentsDb db, Payment payment, Purchase purchase, IReadOnlyList<AuditEntry> audits, CancellationToken ct)
    {
        try
        {
            await NewPaymentRows.WriteAsync(db, payment, PurchaseResolver.PurchaseRow(payment, purchase), audits,
                Outbox.HostEvents.ForPayment(PaymentStatus.Created, 0, payment, payment.UpdatedAt), CancellationToken.None);
            return null;
        }
        catch (Exception e) when (payment.Reference is not null && PaymentReferences.IsDuplicate(e))
        {
            var first = await PaymentReferences.FindAsync(db, payment.ReferenceScope!, payment.Reference, ct)
                        ?? throw new InvalidOperationException($"Reference '{payment.Reference}' collided but its payment is gone.", e);
            return PaymentReferences.Repeat(first, purchase);
        }
    }
}
