using Microsoft.EntityFrameworkCore;
using Payments.Core.Credits;
using Payments.Core.Errors;
using Payments.Server.Data;
using Payments.Server.Features.Auth;

namespace Payments.Server.Features.Credits;

/// <summary>
/// Referral codes (seed 003). <c>GET /api/v1/credits/referral</c>: the user's own code, generated on
/// first request and never changed, to hand to people they refer. <c>PUT /api/v1/credits/referral</c>
/// <c>{"referred_by_code":"…"}</c>: who referred the user; set once, before their first completed
/// credit purchase, never their own code. The bonus itself is paid by <see cref="CreditEffects"/>.
/// </summary>
public static class Referral
{
    public sealed record Request(string? ReferredByCode, string? UserId = null);

    public sealed record Response(string UserId, string ReferralCode, string? ReferredByCode);

    public static void Map(RouteGroupBuilder credits)
    {
        credits.MapGet("/referral", GetAsync)
            .RequireAuthorization(AuthSetup.SignedInPolicy)
            .WithSummary("The user's own referral code (created on first request) and the code that referred them.")
            .Produces<Response>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        credits.MapPut("/referral", SetAsync)
            .RequireAuthorization(AuthSetup.SignedInPolicy)
            .WithSummary("Record who referred the user: once, before their first completed credit purchase, not their own code.")
            .Produces<Response>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<Response> GetAsync(HttpContext http, PaymentsDb db, TimeProvider clock, string? user_id, CancellationToken ct)
    {
        var user = ActingUser.Resolve(http.Caller(), user_id, "credits");
        var existing = await db.CreditAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == user, ct);
        if (existing is not null) return new Response(user, existing.ReferralCode, existing.ReferredByCode);

        await using var tx = await db.BeginWriteAsync(ct);
        var account = await new CreditLedger(db).LockAccountAsync(user, clock.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
        return new Response(user, account.ReferralCode, account.ReferredByCode);
    }

    private static async Task<Response> SetAsync(Request? request, HttpContext http, PaymentsDb db, TimeProvider clock, CancellationToken ct)
    {
        var user = ActingUser.Resolve(http.Caller(), request?.UserId, "credits");
        if (string.IsNullOrWhiteSpace(request?.ReferredByCode) || request.ReferredByCode.Length > 64)
            throw PaymentsException.Validation("'referred_by_code' is required: the referral code someone gave you.");
        var code = CreditLedger.NormalizeCode(request.ReferredByCode);
        var ledger = new CreditLedger(db);

        await using var tx = await db.BeginWriteAsync(ct);
        var now = clock.GetUtcNow();
        // Locked like a purchase grant, so a purchase completing right now sees the code or the refusal.
        var account = await ledger.LockAccountAsync(user, now, ct);
        if (account.ReferredByCode == code) return new Response(user, account.ReferralCode, code); // said again: nothing to do
        if (account.ReferredByCode is not null)
            throw new PaymentsException(ErrorKind.Conflict, "A referral code is already recorded for this user; it cannot be changed.")
                .With("referred_by_code", account.ReferredByCode);
        if (code == account.ReferralCode) throw PaymentsException.Validation("That is this user's own referral code; nobody can refer themselves.");
        if (await ledger.AccountByCodeAsync(code, ct) is null) throw PaymentsException.Validation($"No referral code '{code}'.");
        if (await ledger.HasAnyAsync(CreditKind.Purchase, user, null, ct))
            throw new PaymentsException(ErrorKind.Conflict, "A referral code can only be set before the first credit purchase.");

        account.ReferredByCode = code;
        db.Add(now, "credits.referral_set", http.Caller().Audit, null, new { user_id = user, referred_by_code = code });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new Response(user, account.ReferralCode, code);
    }
}
