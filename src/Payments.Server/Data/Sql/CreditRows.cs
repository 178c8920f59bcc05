using Microsoft.EntityFrameworkCore;
using Payments.Server.Data.Entities;

namespace Payments.Server.Data.Sql;

/// <summary>Hand-written SQL of the credits ledger (everything else in it goes through EF).</summary>
public static class CreditRows
{
    private const string InsertAccount =
        "INSERT INTO credit_accounts (user_id, referral_code, referred_by_code, created_at) VALUES ({0}, {1}, NULL, {2}) ON CONFLICT DO NOTHING";

    /// <summary>
    /// Creates the user's account row unless it exists (<c>ON CONFLICT DO NOTHING</c>: two first requests
    /// for one user do not fail) and reads it locked until the transaction ends. Null when it is still
    /// missing: the referral code collided with another account's, and the caller draws another.
    /// </summary>
    public static async Task<CreditAccount?> CreateAndLockAccountAsync(
        PaymentsDb db, string userId, string referralCode, DateTimeOffset now, CancellationToken ct)
    {
        var dialect = SqlDialect.Of(db);
        await db.Database.ExecuteSqlRawAsync(InsertAccount, [userId, referralCode, dialect.TimeValue(now)], ct);
#pragma warning disable EF1002, EF1003 // constant SQL; the value travels as a parameter
        var rows = await db.CreditAccounts.FromSqlRaw("SELECT * FROM credit_accounts WHERE user_id = {0}" + dialect.RowLock, userId).ToListAsync(ct);
#pragma warning restore EF1002, EF1003
        return rows.FirstOrDefault();
    }
}
