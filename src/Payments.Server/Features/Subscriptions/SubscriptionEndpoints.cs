using Microsoft.EntityFrameworkCore;
using Payments.Core.Errors;
using Payments.Core.Providers;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Data.Sql;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Billing;

namespace Payments.Server.Features.Subscriptions;

/// <summary>
/// <c>GET /api/v1/subscriptions</c> (a user's own; admins and service keys: everyone's, or <c>?user_id=</c>),
/// <c>GET …/{id}</c>, <c>GET …/{id}/invoices</c>, <c>POST …/{id}/cancel</c> <c>{"at_period_end":true|false}</c> and
/// <c>POST …/{id}/resume</c>. Someone else's subscription is 404. Cancel and resume ask the provider and apply its answer
/// under the customer's lock, like any event about the subscription.
/// </summary>
public static class SubscriptionEndpoints
{
    public sealed record ListResponse(IReadOnlyList<SubscriptionView> Items);

    public sealed record InvoicesResponse(string SubscriptionId, IReadOnlyList<InvoiceView> Items);

    public sealed record CancelRequest(bool AtPeriodEnd = true);

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("", ListAsync).RequireAuthorization(AuthSetup.SignedInPolicy).WithName("ListSubscriptions")
            .WithSummary("Subscriptions: a user's own; admins and service keys see all (or ?user_id=).").Produces<ListResponse>();
        group.MapGet("/{id}", GetAsync).RequireAuthorization(AuthSetup.SignedInPolicy).WithName("GetSubscription")
            .WithSummary("One subscription: price, status, current period, cancel_at_period_end, trial_end, provider, latest_invoice.")
            .Produces<SubscriptionView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/invoices", InvoicesAsync).RequireAuthorization(AuthSetup.SignedInPolicy).WithName("ListSubscriptionInvoices")
            .WithSummary("A subscription's invoices: net, VAT, total, what was paid, and the payment (receipt) each paid one became.")
            .Produces<InvoicesResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/cancel", CancelAsync).RequireAuthorization(AuthSetup.SignedInPolicy).WithName("CancelSubscription")
            .WithSummary("Cancel now, or at the end of the paid period (at_period_end, the default).")
            .Produces<SubscriptionView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/{id}/resume", ResumeAsync).RequireAuthorization(AuthSetup.SignedInPolicy).WithName("ResumeSubscription")
            .WithSummary("Take back a cancellation at the period's end.")
            .Produces<SubscriptionView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<ListResponse> ListAsync(HttpContext http, PaymentsDb db, string? user_id, CancellationToken ct)
    {
        var caller = http.Caller();
        var query = db.Subscriptions.AsNoTracking();
        if (!caller.SeesAll) query = query.Where(s => s.UserId == caller.Id);
        else if (!string.IsNullOrWhiteSpace(user_id)) query = query.Where(s => s.UserId == user_id);
        var rows = await query.OrderByDescending(s => s.CreatedAt).Take(200).ToListAsync(ct);
        return new ListResponse(rows.Select(SubscriptionView.Of).ToList());
    }

    private static async Task<SubscriptionView> GetAsync(string id, HttpContext http, PaymentsDb db, CancellationToken ct) =>
        SubscriptionView.Of(await FindAsync(id, http, db, ct));

    private static async Task<InvoicesResponse> InvoicesAsync(string id, HttpContext http, PaymentsDb db, CancellationToken ct)
    {
        var subscription = await FindAsync(id, http, db, ct);
        var rows = await db.SubscriptionInvoices.AsNoTracking().Where(i => i.SubscriptionId == subscription.Id).OrderBy(i => i.CreatedAt).ToListAsync(ct);
        return new InvoicesResponse(subscription.Id, rows.Select(InvoiceView.Of).ToList());
    }

    private static Task<SubscriptionView> CancelAsync(string id, CancelRequest? request, HttpContext http, PaymentsDb db, ProviderRegistry providers,
        BillingLocks locks, SubscriptionApplier applier, TimeProvider clock, CancellationToken ct)
    {
        var atPeriodEnd = request?.AtPeriodEnd ?? true;
        return ChangeAsync(id, http, db, providers, locks, applier, clock, atPeriodEnd ? "cancel_at_period_end" : "cancel",
            (provider, external, key, token) => provider.CancelSubscriptionAsync(external, atPeriodEnd, key, token), ct);
    }

    private static Task<SubscriptionView> ResumeAsync(string id, HttpContext http, PaymentsDb db, ProviderRegistry providers, BillingLocks locks,
        SubscriptionApplier applier, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(id, http, db, providers, locks, applier, clock, "resume",
            (provider, external, key, token) => provider.ResumeSubscriptionAsync(external, key, token), ct);

    private static async Task<SubscriptionView> ChangeAsync(string id, HttpContext http, PaymentsDb db, ProviderRegistry providers, BillingLocks locks,
        SubscriptionApplier applier, TimeProvider clock, string action,
        Func<ISubscriptionProvider, string, string, CancellationToken, Task<ProviderSubscription>> call, CancellationToken ct)
    {
        var row = await FindAsync(id, http, db, ct);
        var provider = providers.Get<ISubscriptionProvider>(row.Provider);
        await using var turn = await locks.AcquireAsync(BillingCustomers.LockKey(row.UserId), ct);
        var external = await db.ExternalSubscriptions.AsNoTracking().Where(e => e.Provider == row.Provider && e.SubscriptionId == row.Id)
            .Select(e => e.ExternalId).FirstOrDefaultAsync(ct);
        if (external is null)
            throw new PaymentsException(ErrorKind.Conflict, $"Subscription '{row.Id}' is {row.Status}: its first invoice is not paid yet, so there is nothing to {action.Replace('_', ' ')} at {row.Provider}.")
                .With("status", row.Status);
        // The key names the state acted on: a retry of this request is replayed by the provider, a later request is a new one.
        var answer = await call(provider, external, $"subscription-{row.Id}-{action}-{row.UpdatedAt.UtcTicks}", ct);
        var (_, applied) = await applier.ApplyFetchedAsync(row.Provider, answer, [], ct);
        db.AuditLog.Add(Data.Audit.Entry(clock.GetUtcNow(), $"subscription.{action}", http.Caller().Audit, null, new { subscription_id = row.Id }));
        await db.SaveWriteAsync(ct);
        return SubscriptionView.Of(applied ?? row);
    }

    internal static async Task<SubscriptionRow> FindAsync(string id, HttpContext http, PaymentsDb db, CancellationToken ct)
    {
        var row = await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct) ?? throw PaymentsException.NotFound($"No subscription '{id}'.");
        SubscriptionAccess.EnsureMayRead(http.Caller(), row);
        return row;
    }
}
