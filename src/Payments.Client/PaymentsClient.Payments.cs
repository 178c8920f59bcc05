namespace Payments.Client;

public sealed partial class PaymentsClient
{
    /// <summary>
    /// <c>POST /api/v1/payment/create-intent</c>: starts a payment and says where to send the customer.
    /// Safe to retry with the same <see cref="CreateIntentRequest.Reference"/> (a repeat answers the first
    /// payment) or the same <paramref name="idempotencyKey"/> (the first answer is replayed).
    /// </summary>
    public Task<PaymentIntent> CreateIntentAsync(CreateIntentRequest request, string? idempotencyKey = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<PaymentIntent>(HttpMethod.Post, "api/v1/payment/create-intent", request, idempotencyKey, ct);
    }

    /// <summary>
    /// <c>POST /api/v1/payment/verify</c>: asks the provider and applies its answer (heals a lost webhook).
    /// <paramref name="paymentId"/> is ours (<c>pay_…</c>) or the provider's id.
    /// </summary>
    public Task<PaymentStatusResult> VerifyAsync(string paymentId, string? idempotencyKey = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentId);
        return SendAsync<PaymentStatusResult>(HttpMethod.Post, "api/v1/payment/verify", new VerifyBody(paymentId), idempotencyKey, ct);
    }

    /// <summary><c>POST /api/v1/payment/capture/{provider}/{id}</c>: captures an approved payment (PayPal). Idempotent.</summary>
    public Task<PaymentStatusResult> CaptureAsync(string provider, string paymentId, string? idempotencyKey = null, CancellationToken ct = default) =>
        SendAsync<PaymentStatusResult>(HttpMethod.Post, $"api/v1/payment/capture/{Segment(provider)}/{Segment(paymentId)}", null, idempotencyKey, ct);

    /// <summary><c>GET /api/v1/payments</c>: newest first; a user sees their own, admin and service keys all.</summary>
    public Task<PageOf<Payment>> ListPaymentsAsync(PaymentListFilter? filter = null, CancellationToken ct = default)
    {
        filter ??= new PaymentListFilter();
        return GetAsync<PageOf<Payment>>(WithQuery("api/v1/payments",
            ("status", filter.Status), ("provider", filter.Provider), ("reference", filter.Reference),
            ("from", filter.From), ("to", filter.To), ("page", filter.Page), ("page_size", filter.PageSize)), ct);
    }

    /// <summary><c>GET /api/v1/payments/{id}</c>: the payment and its refunds.</summary>
    public Task<PaymentDetail> GetPaymentAsync(string paymentId, CancellationToken ct = default) =>
        GetAsync<PaymentDetail>($"api/v1/payments/{Segment(paymentId)}", ct);

    /// <summary>
    /// <c>POST /api/v1/payment/refund</c> (admin): <paramref name="amount"/> in minor units, or null for all that remains.
    /// More than remains is a <see cref="PaymentsConflictException"/>.
    /// </summary>
    public Task<RefundResult> RefundAsync(
        string paymentId, long? amount = null, string? reason = null, string? idempotencyKey = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(paymentId);
        return SendAsync<RefundResult>(HttpMethod.Post, "api/v1/payment/refund",
            new RefundBody(paymentId, amount, reason), idempotencyKey, ct);
    }

    private sealed record VerifyBody(string PaymentId);

    private sealed record RefundBody(string PaymentId, long? Amount, string? Reason);
}
