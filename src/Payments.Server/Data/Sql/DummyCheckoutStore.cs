using Microsoft.EntityFrameworkCore;
using Payments.Core.Providers;
using Payments.Providers.Dummy;
using M = Payments.Core.Money.Money;

namespace Payments.Server.Data.Sql;

/// <summary>
/// The dummy provider's checkouts and refunds in our database (migration 0010), so that after a
/// restart, or on another node, refunds and verify still know earlier dummy payments. Each method is
/// one statement or one write transaction; the unique keys decide races (one checkout per
/// idempotency key, one refund per refund key), never a read-then-write check.
/// </summary>
public sealed class DummyCheckoutStore(IServiceScopeFactory scopes, TimeProvider clock) : IDummyCheckoutStore
{
    /// <summary>Registers the store the dummy provider keeps its checkouts in.</summary>
    public static void Register(IServiceCollection services) => services.AddSingleton<IDummyCheckoutStore, DummyCheckoutStore>();

    public async Task<DummyCheckout> CreateOnceAsync(string idempotencyKey, DummyCheckout checkout, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        var now = Now(db);
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO dummy_checkouts (id, idempotency_key, payment_id, amount_minor, currency, success_url, cancel_url,
                                             status, refunded_minor, created_at, updated_at)
                VALUES ({checkout.Id}, {idempotencyKey}, {checkout.PaymentId}, {checkout.Amount.Minor}, {checkout.Amount.Currency.Code},
                        {checkout.SuccessLink}, {checkout.CancelLink}, {StatusText(ProviderPaymentStatus.Pending)}, 0, {now}, {now})
                ON CONFLICT (idempotency_key) DO NOTHING
                """, ct);
            await tx.CommitAsync(ct);
        }
        var kept = await db.Database.SqlQueryRaw<Row>(Select + " WHERE idempotency_key = {0}", idempotencyKey).SingleAsync(ct);
        return kept.ToCheckout();
    }

    public async Task<DummyCheckout?> FindAsync(string id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await FindAsync(scope.ServiceProvider.GetRequiredService<PaymentsDb>(), id, ct);
    }

    public async Task<DummyCheckout?> SettleAsync(string id, ProviderPaymentStatus outcome, CancellationToken ct)
    {
        var to = StatusText(outcome);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        var now = Now(db);
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            // Only an open checkout changes; a paid or canceled one stays as it is (the rule in IDummyCheckoutStore).
            await db.Database.ExecuteSqlAsync($"""
                UPDATE dummy_checkouts SET status = {to}, updated_at = {now}
                WHERE id = {id} AND status IN ('pending', 'declined')
                """, ct);
            await tx.CommitAsync(ct);
        }
        return await FindAsync(db, id, ct);
    }

    public async Task<DummyRefundOutcome> RefundOnceAsync(string id, long amountMinor, string idempotencyKey, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        var now = Now(db);
        await using var tx = await db.BeginWriteAsync(ct);
        var current = await FindAsync(db, id, ct);
        if (current is null) return new DummyRefundOutcome(false, null, "unknown payment");

        // The key first: a repeated key (also one racing us, which waits on the unique key) refunds nothing more.
        var newKey = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO dummy_refunds (idempotency_key, checkout_id, amount_minor, created_at)
            VALUES ({idempotencyKey}, {id}, {amountMinor}, {now})
            ON CONFLICT (idempotency_key) DO NOTHING
            """, ct) == 1;
        if (!newKey)
        {
            await tx.CommitAsync(ct);
            return new DummyRefundOutcome(true, current, null);
        }

        var succeeded = StatusText(ProviderPaymentStatus.Succeeded);
        var refunded = await db.Database.ExecuteSqlAsync($"""
            UPDATE dummy_checkouts SET refunded_minor = refunded_minor + {amountMinor}, updated_at = {now}
            WHERE id = {id} AND status = {succeeded} AND refunded_minor + {amountMinor} <= amount_minor
            """, ct) == 1;
        if (!refunded) // the transaction is rolled back when disposed: the key is not kept
            return new DummyRefundOutcome(false, current, current.Status != ProviderPaymentStatus.Succeeded
                ? "payment is not paid"
                : "refund exceeds the paid amount");
        var updated = await FindAsync(db, id, ct);
        await tx.CommitAsync(ct);
        return new DummyRefundOutcome(true, updated, null);
    }

    private static async Task<DummyCheckout?> FindAsync(PaymentsDb db, string id, CancellationToken ct) =>
        (await db.Database.SqlQueryRaw<Row>(Select + " WHERE id = {0}", id).SingleOrDefaultAsync(ct))?.ToCheckout();

    /// <summary>Now, as the engine's dialect stores an instant (UTC ticks on SQLite, timestamptz on PostgreSQL).</summary>
    private object Now(PaymentsDb db) => SqlDialect.Of(db).TimeValue(clock.GetUtcNow());

    private static string StatusText(ProviderPaymentStatus status) => status switch
    {
        ProviderPaymentStatus.Pending => "pending",
        ProviderPaymentStatus.Succeeded => "succeeded",
        ProviderPaymentStatus.Declined => "declined",
        ProviderPaymentStatus.Canceled => "canceled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A dummy checkout is pending, succeeded, declined or canceled."),
    };

    private static ProviderPaymentStatus StatusOf(string text) => text switch
    {
        "pending" => ProviderPaymentStatus.Pending,
        "succeeded" => ProviderPaymentStatus.Succeeded,
        "declined" => ProviderPaymentStatus.Declined,
        "canceled" => ProviderPaymentStatus.Canceled,
        _ => throw new InvalidOperationException($"dummy_checkouts holds an unknown status '{text}'."),
    };

    private const string Select = """
        SELECT id AS "Id", payment_id AS "PaymentId", amount_minor AS "AmountMinor", currency AS "Currency",
               success_url AS "SuccessUrl", cancel_url AS "CancelUrl", status AS "Status", refunded_minor AS "RefundedMinor"
        FROM dummy_checkouts
        """;

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string PaymentId { get; set; } = "";
        public long AmountMinor { get; set; }
        public string Currency { get; set; } = "";
        public string SuccessUrl { get; set; } = "";
        public string CancelUrl { get; set; } = "";
        public string Status { get; set; } = "";
        public long RefundedMinor { get; set; }

        public DummyCheckout ToCheckout() =>
            new(Id, PaymentId, M.Of(AmountMinor, Currency.Trim()), SuccessUrl, CancelUrl, StatusOf(Status), RefundedMinor);
    }
}
