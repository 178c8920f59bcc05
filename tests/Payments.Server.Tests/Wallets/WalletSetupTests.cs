using Payments.Server.Tests.Hosting;
using Payments.Server.Tests.Stripe;
using OperatorCli = Payments.Cli.Cli;

namespace Payments.Server.Tests.Wallets;

/// <summary>
/// <c>payments-cli stripe register-domain</c> against the fake Stripe, which checks the association
/// file on the running service the way Apple does (the service stands in for the domain).
/// </summary>
public sealed class RegisterDomainCliTests(WalletSqliteApp fixture) : IClassFixture<WalletSqliteApp>
{
    private async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var settings = WalletApp.WithWallets(StripeAppSettings.For(fixture.Stripe), fixture.AssociationFile);
        foreach (var (key, value) in fixture.App.Database.Settings) settings[key] = value;
        var code = await OperatorCli.RunAsync(args, output, error, settings);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Register_domain_registers_APPLE_PAY_DOMAIN_NAME_with_Stripe_prints_it_and_a_second_run_asks_Stripe_to_check_it_again()
    {
        fixture.Stripe.DomainHosts[WalletApp.Domain] = fixture.App.BaseAddress; // Apple finds the file the service serves

        var (code, output, error) = await Run("stripe", "register-domain");

        Assert.True(code == 0, error);
        Assert.Contains($"domain: {WalletApp.Domain}", output);
        Assert.Contains("apple_pay: active", output);
        Assert.Contains("google_pay: active", output);
        Assert.Matches("(?m)^id: pmd_", output);
        bool Created(Fakes.Stripe.RecordedRequest r) => r.Method == "POST" && r["domain_name"] == WalletApp.Domain;
        var created = Assert.Single(fixture.Stripe.RequestsTo("/v1/payment_method_domains"), Created);
        Assert.Equal("true", created["enabled"]);

        var (again, _, _) = await Run("stripe", "register-domain");

        Assert.Equal(0, again);
        Assert.Single(fixture.Stripe.RequestsTo("/v1/payment_method_domains"), Created); // not created twice
        Assert.Single(fixture.Stripe.Requests, r => r.Method == "POST" && r.Path.EndsWith("/validate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Register_domain_fails_with_Stripes_reason_when_Apple_cannot_find_the_association_file()
    {
        var (code, output, error) = await Run("stripe", "register-domain", "--domain", "elsewhere.example.net");

        Assert.Equal(4, code);
        Assert.Contains("apple_pay: inactive (We could not verify the domain", output);
        Assert.Contains("Apple Pay is not active on elsewhere.example.net", error);
    }
}

/// <summary>The real process refuses to start with a wallet that cannot work, in one line naming the setting.</summary>
public class WalletStartupTests
{
    [Theory]
    [InlineData("GOOGLE_PAY_ENABLED=true", "GOOGLE_PAY_ENABLED=true needs Stripe, which charges Google Pay tokens: set STRIPE_SECRET_KEY")]
    [InlineData("APPLE_PAY_ENABLED=true", "APPLE_PAY_ENABLED=true needs Stripe, which charges Apple Pay tokens")]
    [InlineData("STRIPE_SECRET_KEY=sk_test_1;STRIPE_WEBHOOK_SECRET=whsec_1;APPLE_PAY_ENABLED=true",
        "applepay needs STRIPE_PUBLISHABLE_KEY, APPLE_PAY_DOMAIN_NAME, APPLE_PAY_DOMAIN_ASSOCIATION_FILE")]
    [InlineData("STRIPE_SECRET_KEY=sk_test_1;STRIPE_WEBHOOK_SECRET=whsec_1;STRIPE_PUBLISHABLE_KEY=pk_test_1;APPLE_PAY_ENABLED=true;" +
                "APPLE_PAY_DOMAIN_NAME=shop.example.com;APPLE_PAY_DOMAIN_ASSOCIATION_FILE=/nonexistent/association",
        "APPLE_PAY_DOMAIN_ASSOCIATION_FILE='/nonexistent/association' cannot be read")]
    [InlineData("STRIPE_SECRET_KEY=sk_live_1;STRIPE_WEBHOOK_SECRET=whsec_1;STRIPE_PUBLISHABLE_KEY=pk_live_1;GOOGLE_PAY_ENABLED=true",
        "GOOGLE_PAY_ENVIRONMENT is TEST (the default) beside live Stripe keys")]
    [InlineData("STRIPE_SECRET_KEY=sk_test_1;STRIPE_WEBHOOK_SECRET=whsec_1;STRIPE_PUBLISHABLE_KEY=pk_test_1;GOOGLE_PAY_ENABLED=yes please",
        "GOOGLE_PAY_ENABLED='yes please' is not a boolean")]
    public async Task A_wallet_that_cannot_work_stops_start_up_naming_what_to_set(string settings, string expected)
    {
        var environment = settings.Split(';').Select(s => s.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);

        var (code, stderr) = await StartupTests.RunServer(environment);

        Assert.Equal(1, code);
        Assert.Contains("payments: cannot start: ", stderr);
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}
