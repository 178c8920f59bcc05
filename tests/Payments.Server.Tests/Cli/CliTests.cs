using OperatorCli = Payments.Cli.Cli;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Cli;

/// <summary>The operator CLI against the same database a running service uses.</summary>
public class CliTests(SqliteAuthApp fixture) : IClassFixture<SqliteAuthApp>
{
    private async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var settings = new Dictionary<string, string?>(fixture.App.Database.Settings) { ["JWT_SECRET_KEY"] = Credentials.JwtSecret };
        var code = await OperatorCli.RunAsync(args, output, error, settings);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_key_created_by_the_cli_works_against_the_running_service_until_the_cli_revokes_it()
    {
        var (code, output, _) = await Run("api-key", "create", "--name", "from the cli");
        Assert.Equal(0, code);
        var id = output.Split('\n').Single(l => l.StartsWith("id:")).Split(':', 2)[1].Trim();
        var secret = output.Split('\n').Single(l => l.StartsWith("secret:")).Split(':', 2)[1].Trim();

        using var service = fixture.App.Client().As(secret);
        Assert.Equal(200, (int)(await service.GetAsync("/api/v1/payments")).StatusCode);
        Assert.Contains(id, (await Run("api-key", "list")).Out);

        Assert.Equal(0, (await Run("api-key", "revoke", id)).Code);
        Assert.Equal(401, (int)(await service.GetAsync("/api/v1/payments")).StatusCode);
    }

    [Fact]
    public async Task Payments_show_prints_the_trail_and_list_filters_by_status()
    {
        using var client = fixture.App.Client();
        var intent = await (await client.PostJson("/api/v1/payment/create-intent", new { plan = "pro" })).Body();
        await client.PayDummy(intent.Str("provider_payment_id"));
        var paymentId = intent.Str("payment_id");

        var (code, shown, _) = await Run("payments", "show", paymentId);
        Assert.Equal(0, code);
        Assert.Contains("succeeded  29.00 EUR", shown);
        Assert.Contains("payment.finalize", shown);
        Assert.Contains(paymentId, (await Run("payments", "list", "--status", "succeeded", "--limit", "100")).Out);
        Assert.DoesNotContain(paymentId, (await Run("payments", "list", "--status", "pending", "--limit", "100")).Out);
    }

    [Fact]
    public async Task Payments_show_prints_refund_amounts_as_money()
    {
        using var client = fixture.App.Client();
        var intent = await (await client.PostJson("/api/v1/payment/create-intent", new { plan = "pro" })).Body();
        await client.PayDummy(intent.Str("provider_payment_id"));
        var paymentId = intent.Str("payment_id");
        using (var admin = fixture.App.Client().As(Credentials.AdminKey))
            (await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 500 })).EnsureSuccessStatusCode();

        var (code, shown, _) = await Run("payments", "show", paymentId);

        Assert.Equal(0, code);
        var refundLine = shown.Split('\n').Single(l => l.TrimStart().StartsWith("refund re_", StringComparison.Ordinal));
        Assert.Contains("5.00 EUR", refundLine);
        Assert.Contains("refunded 5.00 EUR", shown);
    }

    [Theory]
    [InlineData("payments", "list", "--limit", "0")]
    [InlineData("payments", "list", "--limit", "-1")]
    [InlineData("token", "--sub", "cli-user", "--minutes", "0")]
    [InlineData("token", "--sub", "cli-user", "--minutes", "-5")]
    public async Task Counts_and_lifetimes_below_one_are_refused_as_mistakes(params string[] args)
    {
        var (code, output, error) = await Run(args);
        Assert.Equal(3, code);
        Assert.Contains("must be at least 1", error);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task Any_other_failure_is_one_line_on_stderr_and_exit_code_4()
    {
        var notADatabase = Path.Combine(Path.GetTempPath(), $"not-a-db-{Guid.NewGuid():N}.db");
        await File.WriteAllTextAsync(notADatabase, new string('x', 4096));
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var code = await OperatorCli.RunAsync(["payments", "list"], output, error,
                new Dictionary<string, string?> { ["SQLITE_PATH"] = notADatabase, ["DATABASE_URL"] = "" });
            Assert.Equal(4, code);
            var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Single(lines);
            Assert.StartsWith("payments-cli: failed:", lines[0]);
        }
        finally
        {
            File.Delete(notADatabase);
        }
    }

    [Fact]
    public async Task A_token_the_cli_signs_is_accepted_by_the_service()
    {
        var (code, token, _) = await Run("token", "--sub", "cli-user", "--role", "admin");
        Assert.Equal(0, code);
        using var admin = fixture.App.Client().As(token.Trim());
        Assert.Equal(200, (int)(await admin.GetAsync("/api/v1/audit")).StatusCode);
    }

    [Fact]
    public async Task A_token_without_JWT_SECRET_KEY_is_a_configuration_failure_with_exit_code_1()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var settings = new Dictionary<string, string?>(fixture.App.Database.Settings) { ["JWT_SECRET_KEY"] = "" };

        var code = await OperatorCli.RunAsync(["token", "--sub", "cli-user"], output, error, settings);

        Assert.Equal(1, code);
        Assert.Equal("payments-cli: cannot start: JWT_SECRET_KEY is not set, so no token can be signed.", error.ToString().Trim());
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public async Task Mistakes_get_a_message_and_a_non_zero_exit_code()
    {
        var missing = await Run("payments", "show", "pay_nothing");
        Assert.Equal(3, missing.Code);
        Assert.Contains("No payment 'pay_nothing'", missing.Err);

        var badStatus = await Run("payments", "list", "--status", "paid");
        Assert.Equal(3, badStatus.Code);

        Assert.Equal(2, (await Run("frobnicate")).Code);

        var noDatabase = await OperatorCli.RunAsync(["payments", "list"], new StringWriter(), new StringWriter(),
            new Dictionary<string, string?> { ["SQLITE_PATH"] = "", ["DATABASE_URL"] = "" });
        Assert.Equal(1, noDatabase);
    }

    [Theory]
    [InlineData("src/Payments.Server/data/payments.db", "/home/op/repo", "/home/op/repo/src/Payments.Server/data/payments.db")]
    [InlineData("../data/p.db", "/home/op/repo", "/home/op/data/p.db")]
    [InlineData("/var/lib/payments/p.db", "/home/op/repo", "/var/lib/payments/p.db")]
    public void A_relative_SQLITE_PATH_is_where_the_operator_is_not_next_to_the_binary(string path, string workingDirectory, string expected) =>
        Assert.Equal(expected, global::Payments.Cli.Context.FromWorkingDirectory(path, workingDirectory));
}
