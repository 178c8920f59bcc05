using Payments.Core.Errors;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Providers;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Idempotency;
using Payments.Server.Features.Limits;

namespace Payments.Server.Features.Payments;

/// <summary>
/// <c>POST /api/v1/payment/capture/{provider}/{id}</c> (seed 000: <c>/capture/paypal/{id}</c>): takes
/// the money of an approved payment at providers that need that second step
/// (<see cref="ICaptureProvider"/>), then applies the provider's answer through the same
/// settlement rules as verify and webhooks. Calling it again is harmless: the provider's capture is
/// idempotent and a second success changes nothing here.
/// </summary>
public static class Capture
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/payment/capture/{provider}/{id}", HandleAsync)
            .WithTags("Payments")
            .WithSummary("Capture an approved payment (PayPal) and apply the result; id is ours (pay_…) or the provider's order id.")
            .Produces<Verify.Response>()
            .RequireRateLimiting(RateLimits.Capture)
            .Idempotent()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    internal static async Task<IResult> HandleAsync(
        string provider, string id, HttpContext http, ProviderRegistry providers, Data.PaymentsDb db, PaymentSettler settler, CancellationToken ct)
    {
        if (!providers.TryGet<ICaptureProvider>(provider, out var capturing))
            throw PaymentsException.NotFound($"No enabled provider '{provider}' captures payments here.");

        var payment = await Verify.FindAsync(db, providers, id.Trim(), ct);
        if (payment is null || payment.Provider != capturing.Name)
            throw PaymentsException.NotFound($"No {capturing.Name} payment '{id}'.");
        Ownership.EnsureMayAct(http.Caller(), payment);
        if (payment.ProviderPaymentId is null)
            throw new PaymentsException(ErrorKind.Conflict, "This payment never reached the provider; there is nothing to capture.")
                .With("payment_id", payment.Id);
        if (payment.Status is PaymentStatus.Canceled or PaymentStatus.Expired)
            // We gave up on it: taking the money now would only make it conflicted.
            throw new PaymentsException(ErrorKind.Conflict, $"This payment is {payment.Status.ToWire()}; it is not captured.")
                .With("payment_id", payment.Id).With("payment_status", payment.Status.ToWire());

        var answer = await capturing.CaptureAsync(payment.ProviderPaymentId, CaptureKey(payment), ct);
        var (updated, reported) = await settler.ApplyObservedAsync(
            payment.Id, PaymentNews.ObservationsOf(answer), answer.ProviderReference, $"capture:{http.Caller().Audit}", ct);
        if (reported?.Outcome == SettlementOutcome.Conflict)
            throw PaymentSettler.Mismatch(updated, reported.Reason, "The provider captured an amount that differs from ours.");
        return Results.Ok(Verify.ToResponse(updated));
    }

    /// <summary>
    /// One capture per attempt, whichever path (this route, the approval webhook) asks first. A declined
    /// capture fails the payment; the buyer may then approve again with another funding source, and that
    /// is a new attempt with a new key (the failure's time): PayPal answers a repeated PayPal-Request-Id
    /// with the first request's answer, which would repeat the decline forever.
    /// </summary>
    public static string CaptureKey(Data.Entities.Payment payment) =>
        payment.Status == PaymentStatus.Failed ? $"{payment.Id}-capture-{payment.UpdatedAt.UtcTicks}" : $"{payment.Id}-capture";
}
