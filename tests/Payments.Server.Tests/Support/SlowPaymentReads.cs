using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Payments.Server.Data;

namespace Payments.Server.Tests.Support;

/// <summary>
/// Holds every read of a payment row for a moment before the caller sees it. Concurrent deliveries
/// then all sit between "read the payment" and "write the payment" at once, so a missing row lock
/// (or a SQLite transaction that does not take the write lock up front) shows as a double finalize
/// every time instead of once in a while.
/// </summary>
public sealed class SlowPaymentReads(TimeSpan delay) : DbCommandInterceptor
{
    public override async ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        if (command.CommandText.StartsWith("SELECT * FROM payments", StringComparison.Ordinal))
            await Task.Delay(delay, cancellationToken);
        return result;
    }
}

public abstract class SlowReadsApp(DatabaseKind engine) : AppFixture(engine)
{
    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IInterceptor>(new SlowPaymentReads(TimeSpan.FromMilliseconds(50)));
}

public sealed class SqliteSlowReadsApp() : SlowReadsApp(DatabaseKind.Sqlite);

public sealed class PostgresSlowReadsApp() : SlowReadsApp(DatabaseKind.Postgres);

/// <summary>Slow payment reads plus JWT and the bootstrap admin key (refund races).</summary>
public abstract class SlowAuthApp(DatabaseKind engine) : AuthApp(engine)
{
    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IInterceptor>(new SlowPaymentReads(TimeSpan.FromMilliseconds(50)));
}

public sealed class SqliteSlowAuthApp() : SlowAuthApp(DatabaseKind.Sqlite);

public sealed class PostgresSlowAuthApp() : SlowAuthApp(DatabaseKind.Postgres);
