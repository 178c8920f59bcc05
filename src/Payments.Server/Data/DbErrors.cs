using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Payments.Server.Data;

/// <summary>Recognises "this row already exists" and "try again" on both engines.</summary>
public static class DbErrors
{
    /// <summary>True when the failure is a UNIQUE violation of <paramref name="indexName"/>.</summary>
    public static bool IsUniqueViolation(Exception exception, string indexName, params string[] sqliteColumns)
    {
        var inner = exception is DbUpdateException { InnerException: { } e } ? e : exception;
        return inner switch
        {
            PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation && pg.ConstraintName == indexName,
            // SQLite names the columns, not the index: "UNIQUE constraint failed: payment_events.provider, …".
            SqliteException { SqliteErrorCode: 19 } lite => lite.Message.Contains("UNIQUE", StringComparison.Ordinal)
                                                          && sqliteColumns.All(c => lite.Message.Contains(c, StringComparison.Ordinal)),
            _ => false,
        };
    }

    /// <summary>Errors after which the same work may well succeed: a deadlock victim, a serialization failure.</summary>
    public static bool IsRetryable(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure })
                return true;
        return false;
    }
}
