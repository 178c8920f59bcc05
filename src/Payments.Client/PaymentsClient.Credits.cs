namespace Payments.Client;

public sealed partial class PaymentsClient
{
    /// <summary><c>GET /api/v1/credits/packages</c> (public).</summary>
    public Task<CreditCatalog> GetCreditPackagesAsync(CancellationToken ct = default) =>
        GetAsync<CreditCatalog>("api/v1/credits/packages", ct);

    /// <summary><c>GET /api/v1/credits/balance</c>: the caller's, or (service and admin keys) <paramref name="userId"/>'s.</summary>
    public Task<CreditBalance> GetCreditBalanceAsync(string? userId = null, CancellationToken ct = default) =>
        GetAsync<CreditBalance>(WithQuery("api/v1/credits/balance", ("user_id", userId)), ct);

    /// <summary><c>GET /api/v1/credits/history</c>: newest first; <paramref name="kind"/> filters (<c>purchase</c>, <c>referral_bonus</c>, <c>refund</c>, <c>spend</c>).</summary>
    public Task<PageOf<CreditTransaction>> GetCreditHistoryAsync(
        string? userId = null, string? kind = null, int? page = null, int? pageSize = null, CancellationToken ct = default) =>
        GetAsync<PageOf<CreditTransaction>>(WithQuery("api/v1/credits/history",
            ("user_id", userId), ("kind", kind), ("page", page), ("page_size", pageSize)), ct);

    /// <summary><c>GET /api/v1/credits/referral</c>: the user's own code (made on first request) and who referred them.</summary>
    public Task<Referral> GetReferralAsync(string? userId = null, CancellationToken ct = default) =>
        GetAsync<Referral>(WithQuery("api/v1/credits/referral", ("user_id", userId)), ct);

    /// <summary><c>PUT /api/v1/credits/referral</c>: who referred the user; once, before their first completed credit purchase.</summary>
    public Task<Referral> SetReferralAsync(string referredByCode, string? userId = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(referredByCode);
        return SendAsync<Referral>(HttpMethod.Put, "api/v1/credits/referral", new ReferralBody(referredByCode, userId), null, ct);
    }

    /// <summary>
    /// <c>POST /api/v1/credits/spend</c> (service or admin key): idempotent by <paramref name="reference"/> per user
    /// (a retry answers the first spend with <see cref="CreditSpend.Replayed"/>). A balance that does not cover it is a
    /// <see cref="PaymentsConflictException"/> whose <c>reason</c> extension is <c>insufficient_credits</c> or <c>negative_balance</c>.
    /// </summary>
    public Task<CreditSpend> SpendCreditsAsync(
        string userId, long amount, string reference, string? memo = null, string? idempotencyKey = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        return SendAsync<CreditSpend>(HttpMethod.Post, "api/v1/credits/spend", new SpendBody(userId, amount, reference, memo), idempotencyKey, ct);
    }

    private sealed record ReferralBody(string ReferredByCode, string? UserId);

    private sealed record SpendBody(string UserId, long Amount, string Reference, string? Memo);
}
