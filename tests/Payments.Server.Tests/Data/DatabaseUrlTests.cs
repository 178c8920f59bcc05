using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Npgsql;
using Payments.Server.Data;

namespace Payments.Server.Tests.Data;

public class DatabaseUrlTests
{
    [Fact]
    public void A_postgres_url_becomes_an_npgsql_connection_string()
    {
        var cs = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToNpgsql("postgres://app:p%40ss%3Aword@db.example.com:6543/payments?sslmode=require"));
        Assert.Equal(("db.example.com", 6543, "payments", "app", "p@ss:word", SslMode.Require),
            (cs.Host, cs.Port, cs.Database, cs.Username, cs.Password, cs.SslMode));
    }

    [Fact]
    public void Port_defaults_to_5432_and_postgresql_scheme_works()
    {
        var cs = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToNpgsql("postgresql://app@localhost/payments"));
        Assert.Equal((5432, "payments", "app"), (cs.Port, cs.Database, cs.Username));
    }

    [Fact]
    public void An_npgsql_connection_string_passes_through() =>
        Assert.Equal("db", new NpgsqlConnectionStringBuilder(DatabaseUrl.ToNpgsql("Host=h;Database=db;Username=u")).Database);

    [Theory]
    [InlineData("postgres://app@localhost/payments", 64)]
    [InlineData("postgres://app@localhost/payments?Max%20Auto%20Prepare=0", 0)]
    [InlineData("Host=h;Database=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=h;Database=db;Max Auto Prepare=10", 10)]
    public void Automatic_preparation_is_on_unless_the_connection_string_sets_it(string url, int expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["DATABASE_URL"] = url }).Build();
        var choice = DatabaseChoice.From(configuration, new HostingEnvironment());
        Assert.Equal((DatabaseKind.Postgres, expected), (choice.Kind, new NpgsqlConnectionStringBuilder(choice.ConnectionString).MaxAutoPrepare));
    }

    [Theory]
    [InlineData("mysql://u@h/db")]
    [InlineData("postgres://u@h")]
    [InlineData("Nonsense=1")]
    public void Anything_else_is_refused(string url) =>
        Assert.ThrowsAny<Exception>(() => DatabaseUrl.ToNpgsql(url));
}
