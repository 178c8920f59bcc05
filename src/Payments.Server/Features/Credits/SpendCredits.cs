using Microsoft.EntityFrameworkCore;
using Payments.Core.Credits;
using Payments.Core.Errors;
using Payments.Server.Data;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Idempotency;

namespace Payments.Server.Features.Credits;

/// <summary>
/// <c>POST /api/v1/credits/spend</c> (service or admin key): the host application spends a user's
/// credits. Idempotent by <c>reference</c>: the same reference again answers the first spend
/// (<c>replayed: true</c>) and spends nothing; with another amount it is a 409. Refused (409) when the
/// balance does not cover the amount, and while a refund has left the balance negative.
/// </summary>
public static class SpendCredits
{
    public const int MaxReferenceLength = 200;

    public sealed record Request(string? UserId, long? Amount, string? Reference, string? Memo = null);

    public sealed record Response(
        string TransactionId, string UserId, long Amount, string Reference, string? Memo, long Balance, bool Replayed, DateTimeOffset CreatedAt);

    public static void Map(RouteGroupBuilder credits) =>
        credits.MapPost("/spend", HandleAsync)
            // Caller semantics, not the raw role claim: a JWT that says role=service is still a user.
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireAssertion(c => Caller.From(c.User).SeesAll))
            .Idempotent()
            .WithSummary("Spend a user's credits (service or admin API key); idempotent by 'reference'.")
            .WithDescription("Service or admin API key (or an admin's JWT).")
            .Produces<Response>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    private static async Task<Response> HandleAsync(Request? request, HttpContext http, PaymentsDb db, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request?.UserId)) throw PaymentsException.Validation("'user_id' is required: whose credits to spend.");
        var user = ActingUser.Resolve(http.Caller(), request.UserId, "credits");
        if (request.Amount is not > 0) throw PaymentsException.Validation("'amount' must be a positive whole number of credits.");
        var reference = request.Reference?.Trim();
        if (string.IsNullOrEmpty(reference) || reference.Length > MaxReferenceLength)
            throw PaymentsException.Validation($"'reference' is required (at most {MaxReferenceLength} characters): your id for this spend, so a retry spends once.");
        if (request.Memo is { Length: > 500 }) throw PaymentsException.Validation("'memo' is at most 500 characters.");
        var amount = request.Amount.Value;
        var ledger = new CreditLedger(db);

        try
        {
            await using var tx = await db.BeginWriteAsync(ct);
            var now = clock.GetUtcNow();
            await ledger.LockAccountAsync(user, now, ct);
            if (await ledger.FindAsync(CreditKind.Spend, user, reference, ct) is { } earlier)
                return await ReplayAsync(ledger, earlier, amount, ct);

            var balance = await ledger.BalanceAsync(user, ct);
            Refuse(CreditRules.CheckSpend(balance, amount), balance, amount);
            var spent = ledger.Post(CreditRules.Spend(user, reference, amount), null, request.Memo, now);
            db.Add(now, "credits.spend", http.Caller().Audit, null, new { user_id = user, amount, reference, transaction_id = spent.Id });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return new Response(spent.Id, user, amount, reference, request.Memo, balance - amount, false, now);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e, "ix_credit_transactions_kind_user_id_reference", "credit_transactions.reference"))
        {
            // Only reachable if the account lock were bypassed; the key still keeps the spend single.
            db.ChangeTracker.Clear();
            var earlier = await ledger.FindAsync(CreditKind.Spend, user, reference, ct) ?? throw new InvalidOperationException("Spend vanished.", e);
            return await ReplayAsync(ledger, earlier, amount, ct);
        }
    }

    private static async Task<Response> ReplayAsync(CreditLedger ledger, Data.Entities.LedgerTransaction earlier, long amount, CancellationToken ct)
    {
        var spent = earlier.Entries.Where(e => e.Account == CreditAccounts.Spent).Sum(e => e.Amount);
        if (spent != amount)
            throw new PaymentsException(ErrorKind.Conflict,
                    $"Reference '{earlier.Reference}' was already used for a spend of {spent} credits; use a new reference for a new spend.")
                .With("transaction_id", earlier.Id).With("amount", spent);
        var balance = await ledger.BalanceAsync(earlier.UserId, ct);
        return new Response(earlier.Id, earlier.UserId, spent, earlier.Reference, earlier.Memo, balance, true, earlier.CreatedAt);
    }

    private static void Refuse(SpendVerdict verdict, long balance, long amount)
    {
        var detail = verdict switch
        {
            SpendVerdict.Allowed => null,
            SpendVerdict.NegativeBalance =>
                $"The balance is {balance} credits: a refund took back credits that had already been spent. Spending is blocked until purchases bring the balance above zero.",
            SpendVerdict.Insufficient => $"Insufficient credits: the balance is {balance}, the spend needs {amount}.",
            _ => "'amount' must be a positive whole number of credits.",
        };
        if (detail is null) return;
        throw new PaymentsException(verdict == SpendVerdict.InvalidAmount ? ErrorKind.Validation : ErrorKind.Conflict, detail)
            .With("reason", verdict == SpendVerdict.NegativeBalance ? "negative_balance" : "insufficient_credits")
            .With("balance", balance).With("requested", amount);
    }
}
