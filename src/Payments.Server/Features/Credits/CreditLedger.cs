using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Payments.Core;
using Payments.Core.Credits;
using Payments.Server.Data;
using Payments.Server.Data.Sql;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Credits;

/// <summary>
/// The ledger's storage, always inside the caller's write transaction: lock a user's account row,
/// read balances and what a payment granted, and add balanced postings to the unit of work (the
/// caller saves and commits). Balances are sums of entries; nothing here overwrites a number.
/// <para>
/// Locking: every change that depends on a user's balance or purchase history first locks that
/// user's <c>credit_accounts</c> row (<c>FOR UPDATE</c> on PostgreSQL; SQLite writers are serialized
/// by <see cref="WriteTransaction"/>). Settlement already holds the payment's row, so the order is
/// always payment, then account: no deadlock.
/// </para>
/// </summary>
public sealed class CreditLedger(PaymentsDb db)
{
    /// <summary>Queries the race tests slow down carry this tag (a SQL comment).</summary>
    public const string QueryTag = "credits: read";

    private const string CodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32: no I, L, O, U
    private const int CodeLength = 8;

    /// <summary>
    /// Creates the user's account row if it is missing (with a fresh referral code) and locks it until
    /// the transaction ends. The insert is <c>ON CONFLICT DO NOTHING</c>: two first requests for one
    /// user do not fail, and a referral code that happens to collide is simply drawn again.
    /// </summary>
    public async Task<CreditAccount> LockAccountAsync(string userId, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await CreditRows.CreateAndLockAccountAsync(db, userId, NewReferralCode(), now, ct) is { } account) return account;
            if (attempt == 5) throw new InvalidOperationException($"Could not create the credit account of '{userId}'.");
        }
    }

    /// <summary>A user's balance: the sum of their entries (0 for someone who never had credits).</summary>
    public Task<long> BalanceAsync(string userId, CancellationToken ct)
    {
        var account = CreditAccounts.User(userId);
        return db.CreditEntries.AsNoTracking().TagWith(QueryTag).Where(e => e.Account == account).SumAsync(e => e.Amount, ct);
    }

    /// <summary>Adds a posting to the unit of work; the UNIQUE (kind, user, reference) key refuses it at save if it exists.</summary>
    public LedgerTransaction Post(CreditPosting posting, string? paymentId, string? memo, DateTimeOffset now)
    {
        var transaction = new LedgerTransaction
        {
            Id = Ids.New("ctx", now),
            Kind = posting.Kind.ToWire(),
            UserId = posting.UserId,
            Reference = posting.Reference,
            PaymentId = paymentId,
            Memo = memo,
            CreatedAt = now,
            Entries = posting.Entries.Select(e => new LedgerEntry { Account = e.Account, Amount = e.Amount }).ToList(),
        };
        db.CreditTransactions.Add(transaction);
        return transaction;
    }

    /// <summary>A stored transaction by its exactly-once key, with its entries.</summary>
    public Task<LedgerTransaction?> FindAsync(CreditKind kind, string userId, string reference, CancellationToken ct)
    {
        var wire = kind.ToWire();
        return db.CreditTransactions.AsNoTracking().Include(t => t.Entries)
            .FirstOrDefaultAsync(t => t.Kind == wire && t.UserId == userId && t.Reference == reference, ct);
    }

    /// <summary>Whether the user has a stored transaction of this kind (other than for <paramref name="exceptPaymentId"/>).</summary>
    public Task<bool> HasAnyAsync(CreditKind kind, string userId, string? exceptPaymentId, CancellationToken ct)
    {
        var wire = kind.ToWire();
        return db.CreditTransactions.AsNoTracking().TagWith(QueryTag)
            .AnyAsync(t => t.Kind == wire && t.UserId == userId && (exceptPaymentId == null || t.PaymentId != exceptPaymentId), ct);
    }

    /// <summary>
    /// Every transaction of a payment: those stored, and those added to this unit of work but not yet
    /// saved (a refund report that also proves the payment grants and takes back in one transaction).
    /// </summary>
    public async Task<IReadOnlyList<LedgerTransaction>> OfPaymentAsync(string paymentId, CancellationToken ct)
    {
        var stored = await db.CreditTransactions.AsNoTracking().TagWith(QueryTag).Include(t => t.Entries)
            .Where(t => t.PaymentId == paymentId).ToListAsync(ct);
        var unsaved = db.ChangeTracker.Entries<LedgerTransaction>()
            .Where(e => e.State == EntityState.Added && e.Entity.PaymentId == paymentId).Select(e => e.Entity);
        return [.. stored, .. unsaved];
    }

    public Task<CreditAccount?> AccountByCodeAsync(string code, CancellationToken ct) =>
        db.CreditAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.ReferralCode == code, ct);

    /// <summary>Codes people type: trimmed, upper case, without dashes or spaces.</summary>
    public static string NormalizeCode(string code) =>
        new string(code.Where(c => c is not ('-' or ' ')).ToArray()).Trim().ToUpperInvariant();

    private static string NewReferralCode() => new(RandomNumberGenerator.GetItems<char>(CodeAlphabet, CodeLength));
}
