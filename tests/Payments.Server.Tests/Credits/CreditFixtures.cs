using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Payments.Server.Data;
using Payments.Server.Features.Credits;
using Payments.Server.Tests.Support;
using IPaymentEffects = Payments.Server.Features.Payments.IPaymentEffects;

namespace Payments.Server.Tests.Credits;

/// <summary>
/// Holds the ledger reads that decide a change (a balance before a spend, a user's earlier purchases
/// before a referral bonus) for a moment, so racing requests all read before any of them writes:
/// without the account lock the race tests then fail every time.
/// </summary>
public sealed class SlowCreditReads(TimeSpan delay) : DbCommandInterceptor
{
    public override async ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        if (command.CommandText.Contains("-- " + CreditLedger.QueryTag, StringComparison.Ordinal))
            await Task.Delay(delay, cancellationToken);
        return result;
    }
}

public abstract class SlowCreditsApp(DatabaseKind engine) : AuthApp(engine)
{
    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IInterceptor>(new SlowCreditReads(TimeSpan.FromMilliseconds(100)));
}

public sealed class SqliteSlowCreditsApp() : SlowCreditsApp(DatabaseKind.Sqlite);

public sealed class PostgresSlowCreditsApp() : SlowCreditsApp(DatabaseKind.Postgres);

/// <summary>A service with an extra payment effect that fails on demand (registered after credits, so it runs after them).</summary>
public abstract class FailingEffectApp(DatabaseKind engine) : AuthApp(engine)
{
    protected override void ConfigureServices(IServiceCollection services) => FailingEffects.Register(services);
}

public sealed class SqliteFailingEffectApp() : FailingEffectApp(DatabaseKind.Sqlite);

public sealed class PostgresFailingEffectApp() : FailingEffectApp(DatabaseKind.Postgres);

internal static class FailingEffects
{
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<FailingEffect>();
        services.AddScoped<IPaymentEffects>(sp => sp.GetRequiredService<FailingEffect>());
    }
}
