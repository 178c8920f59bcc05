using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Payments.Server.Data;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Data;

/// <summary>The SQL migrations and the EF model describe the same tables, on each engine.</summary>
public abstract class SchemaTests<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : AppFixture
{
    protected PaymentsApp App => fixture.App;

    [Fact]
    public async Task Every_mapped_column_exists_in_the_migrated_schema()
    {
        await using var scope = fixture.App.Db();
        var db = scope.Context;
        var checkedColumns = 0;
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            var columns = entity.GetProperties().Select(p => p.GetColumnName()).ToList();
            // Throws "no such column" / "column does not exist" when the scripts and the model drift apart.
#pragma warning disable EF1002 // names come from our own EF model, not from input
            await db.Database.ExecuteSqlRawAsync($"SELECT {string.Join(", ", columns)} FROM {table} WHERE 1 = 0");
#pragma warning restore EF1002
            checkedColumns += columns.Count;
        }
        Assert.True(checkedColumns > 20);
    }

    [Fact]
    public async Task Migrating_again_changes_nothing_and_records_each_script_once()
    {
        await fixture.App.Services.MigrateDatabaseAsync();
        await using var scope = fixture.App.Db();
        var engine = fixture.App.Database.Kind == DatabaseKind.Postgres ? "postgres" : "sqlite";
        var expected = MigrationRunner.Scripts(engine).Select(s => s.Version).ToList();
        var applied = await scope.Context.Database.SqlQueryRaw<string>("SELECT version AS \"Value\" FROM schema_migrations ORDER BY version").ToListAsync();
        Assert.Equal(expected, applied);
        Assert.NotEmpty(expected);
    }

    [Fact]
    public void Both_engines_have_the_same_migration_versions() =>
        Assert.Equal(MigrationRunner.Scripts("sqlite").Select(s => s.Version), MigrationRunner.Scripts("postgres").Select(s => s.Version));
}

public sealed class SchemaTests_Sqlite(SqliteApp app) : SchemaTests<SqliteApp>(app)
{
    /// <summary>
    /// The settings each pooled SQLite connection needs hold on every use, not only on the first open
    /// (they are applied once per native connection): durable commits, waiting for a foreign writer's
    /// lock, statement journals in memory.
    /// </summary>
    [Fact]
    public async Task Every_use_of_a_pooled_connection_has_the_durability_and_locking_settings()
    {
        for (var use = 0; use < 3; use++)
        {
            await using var scope = App.Db();
            var db = scope.Context.Database;
            var synchronous = await db.SqlQueryRaw<long>("SELECT synchronous AS \"Value\" FROM pragma_synchronous").SingleAsync();
            var busyTimeout = await db.SqlQueryRaw<long>("SELECT timeout AS \"Value\" FROM pragma_busy_timeout").SingleAsync();
            var tempStore = await db.SqlQueryRaw<long>("SELECT temp_store AS \"Value\" FROM pragma_temp_store").SingleAsync();
            Assert.Equal((2L, 10000L, 2L), (synchronous, busyTimeout, tempStore));
        }
    }
}

public sealed class SchemaTests_Postgres(PostgresApp app) : SchemaTests<PostgresApp>(app)
{
    /// <summary>
    /// Settling a payment must stay a HOT update (no new entry in every index of payments, the largest
    /// share of PostgreSQL's work per webhook): no index, key or partial-index predicate may use a column
    /// that a settlement changes. Provider references are set once and are the known exception.
    /// </summary>
    [Fact]
    public async Task No_index_on_payments_covers_a_column_that_settling_changes()
    {
        await using var scope = App.Db();
        var indexed = await scope.Context.Database.SqlQueryRaw<string>(
            "SELECT DISTINCT a.attname AS \"Value\" FROM pg_index i " +
            "JOIN pg_attribute a ON a.attrelid = i.indrelid " +
            "AND (a.attnum = ANY (i.indkey) OR pg_get_expr(i.indpred, i.indrelid) LIKE '%' || a.attname || '%' " +
            "     OR pg_get_expr(i.indexprs, i.indrelid) LIKE '%' || a.attname || '%') " +
            "WHERE i.indrelid = 'payments'::regclass AND a.attnum > 0").ToListAsync();

        Assert.Contains("created_at", indexed); // the query itself finds index columns
        var settled = PaymentState.Columns.Where(c => c.ChangesOnEverySettlement).Select(c => c.Name).ToList();
        Assert.Contains("status", settled); // the one list of settled columns is what is checked
        Assert.Empty(indexed.Intersect(settled));
    }

    [Fact]
    public async Task Several_nodes_starting_at_once_migrate_a_fresh_database_once()
    {
        if (PostgresTestDatabase.ServerUrl is null) Assert.Skip("needs TEST_DATABASE_URL");
        await using var database = await PostgresTestDatabase.CreateAsync();
        var runners = Enumerable.Range(0, 4).Select(async _ =>
        {
            var services = new ServiceCollection();
            services.AddDbContext<PaymentsDb>(o => o.UseNpgsql(database.ConnectionString));
            await using var provider = services.BuildServiceProvider();
            await using var scope = provider.CreateAsyncScope();
            var runner = new MigrationRunner(scope.ServiceProvider.GetRequiredService<PaymentsDb>(),
                new DatabaseChoice(DatabaseKind.Postgres, database.ConnectionString), NullLogger<MigrationRunner>.Instance);
            await runner.MigrateAsync(CancellationToken.None);
        });
        await Task.WhenAll(runners);

        var services = new ServiceCollection();
        services.AddDbContext<PaymentsDb>(o => o.UseNpgsql(database.ConnectionString));
        await using var check = services.BuildServiceProvider();
        var db = check.GetRequiredService<PaymentsDb>();
        var rows = await db.Database.SqlQueryRaw<int>("SELECT COUNT(*)::int AS \"Value\" FROM schema_migrations").SingleAsync();
        Assert.Equal(MigrationRunner.Scripts("postgres").Count, rows);
    }
}
