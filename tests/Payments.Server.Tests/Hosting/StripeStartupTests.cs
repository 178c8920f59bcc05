namespace Payments.Server.Tests.Hosting;

/// <summary>The real process refuses to start with a Stripe set-up that cannot take or verify payments, naming the variable.</summary>
public class StripeStartupTests
{
    [Theory]
    [InlineData("STRIPE_SECRET_KEY=sk_test_1", "stripe needs STRIPE_WEBHOOK_SECRET")]
    [InlineData("PAYMENT_PROVIDER=stripe", "stripe needs STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET")]
    [InlineData("STRIPE_SECRET_KEY=pk_test_1;STRIPE_WEBHOOK_SECRET=whsec_1", "STRIPE_SECRET_KEY must be a secret")]
    [InlineData("STRIPE_SECRET_KEY=sk_test_1;STRIPE_WEBHOOK_SECRET=whsec_1;STRIPE_API_BASE=not a url", "STRIPE_API_BASE='not a url'")]
    public async Task An_unusable_Stripe_configuration_stops_start_up_naming_the_variable(string settings, string expected)
    {
        var environment = settings.Split(';').Select(s => s.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        var (code, stderr) = await StartupTests.RunServer(environment);
        Assert.Equal(1, code);
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}
