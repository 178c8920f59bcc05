using Microsoft.EntityFrameworkCore;
using Payments.Core.Credits;
using Payments.Core.Errors;
using Payments.Server.Data;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Payments;

namespace Payments.Server.Features.Credits;

/// <summary>
/// <c>GET /api/v1/credits/packages</c> (public), and for the signed-in user (admins and service
/// keys: <c>?user_id=</c>) <c>GET /api/v1/credits/balance</c> and <c>GET /api/v1/credits/history</c>.
/// </summary>
public static class CreditReads
{
    public sealed record PackageView(string Id, string Name, long Credits, long Amount, string Currency, string Display);
    public sealed record CustomRange(long MinCredits, long MaxCredits);
    public sealed record Catalog(IReadOnlyList<PackageView> Packages, CustomRange Custom, long AmountPerCredit, string Currency);

    /// <param name="CanSpend">False while the balance is zero or negative (a refund took back credits already spent).</param>
    public sealed record Balance(string UserId, long Credits, bool CanSpend);

    /// <param name="Amount">What the transaction did to this user's balance (negative: credits left).</param>
    /// <param name="Reference">The spend's reference, or the payment for purchases and refunds; null on a bonus the user earned by referring someone.</param>
    public sealed record HistoryItem(
        string TransactionId, string Kind, long Amount, string? Reference, string? PaymentId, string? Memo, DateTimeOffset CreatedAt);

    public static void Map(RouteGroupBuilder credits)
    {
        credits.MapGet("/packages", (CreditCatalog catalog) => new Catalog(
                catalog.Packages.Select(p => new PackageView(p.Id, p.Name, p.Credits, p.Price.Minor, p.Price.Currency.Code, p.Price.ToString())).ToList(),
                new CustomRange(catalog.Min, catalog.Max), CreditRules.PriceOf(1).Minor, CreditRules.PriceCurrency.Code))
            .WithSummary("Credit packages and the custom range, priced on the server (1 credit = 1 US cent).")
            .Produces<Catalog>();

        credits.MapGet("/balance", BalanceAsync)
            .RequireAuthorization(AuthSetup.SignedInPolicy)
            .WithSummary("A user's credit balance: the sum of their ledger entries.")
            .Produces<Balance>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        credits.MapGet("/history", HistoryAsync)
            .RequireAuthorization(AuthSetup.SignedInPolicy)
            .WithSummary("A user's credit movements, newest first; filter 'kind' (purchase, referral_bonus, refund, spend); paged.")
            .Produces<PageOf<HistoryItem>>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<Balance> BalanceAsync(HttpContext http, PaymentsDb db, string? user_id, CancellationToken ct)
    {
        var user = ActingUser.Resolve(http.Caller(), user_id, "credits");
        var balance = await new CreditLedger(db).BalanceAsync(user, ct);
        return new Balance(user, balance, balance > 0);
    }

    private static async Task<PageOf<HistoryItem>> HistoryAsync(
        HttpContext http, PaymentsDb db, string? user_id, string? kind, int? page, int? page_size, CancellationToken ct)
    {
        var user = ActingUser.Resolve(http.Caller(), user_id, "credits");
        var (number, size) = Paging.Validate(page, page_size);
        if (kind is not null && !CreditKinds.TryParse(kind, out _))
            throw PaymentsException.Validation($"Unknown kind '{kind}'. Use one of: {string.Join(", ", CreditKinds.WireNames)}.");

        var account = CreditAccounts.User(user);
        var rows = db.CreditEntries.AsNoTracking().Where(e => e.Account == account)
            .Join(db.CreditTransactions, e => e.TransactionId, t => t.Id, (e, t) => new { t, e.Amount });
        if (kind is not null) rows = rows.Where(r => r.t.Kind == kind);
        var total = await rows.CountAsync(ct);
        var items = await rows.OrderByDescending(r => r.t.CreatedAt).ThenByDescending(r => r.t.Id)
            .Skip((number - 1) * size).Take(size).ToListAsync(ct);
        return new PageOf<HistoryItem>(items.Select(r =>
        {
            // A referrer sees their bonus, not who bought: the transaction's own details belong to its user.
            var own = r.t.UserId == user;
            return new HistoryItem(r.t.Id, r.t.Kind, r.Amount, own ? r.t.Reference : null, own ? r.t.PaymentId : null, r.t.Memo, r.t.CreatedAt);
        }).ToList(), number, size, total);
    }
}
