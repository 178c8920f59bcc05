using Payments.Server.Tests.Hosting;

namespace Payments.Server.Tests.PayPal;

/// <summary>PayPal settings that cannot work stop the real process before it listens, naming the variable.</summary>
public class PayPalStartupTests
{
    [Fact]
    public async Task A_client_id_without_its_secret_stops_start_up_naming_PAYPAL_CLIENT_SECRET()
    {
        var (code, stderr) = await StartupTests.RunServer(new() { ["PAYPAL_CLIENT_ID"] = "AfakeClient" });
        Assert.Equal(1, code);
        Assert.Contains("paypal needs PAYPAL_CLIENT_SECRET", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task PayPal_as_default_provider_without_credentials_stops_start_up_naming_both()
    {
        var (code, stderr) = await StartupTests.RunServer(new() { ["PAYMENT_PROVIDER"] = "paypal" });
        Assert.Equal(1, code);
        Assert.Contains("paypal needs PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET", stderr);
    }

    [Fact]
    public async Task An_unknown_PAYPAL_MODE_stops_start_up_naming_it()
    {
        var (code, stderr) = await StartupTests.RunServer(new()
        {
            ["PAYPAL_CLIENT_ID"] = "AfakeClient", ["PAYPAL_CLIENT_SECRET"] = "EfakeSecret", ["PAYPAL_MODE"] = "production",
        });
        Assert.Equal(1, code);
        Assert.Contains("PAYPAL_MODE='production'", stderr);
    }
}
