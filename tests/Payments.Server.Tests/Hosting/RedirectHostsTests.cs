using Payments.Core.Errors;
using Payments.Server.Hosting;

namespace Payments.Server.Tests.Hosting;

public class RedirectHostsTests
{
    [Theory]
    [InlineData("https://shop.example/x", "shop.example")]
    [InlineData("https://SHOP.example:8443/x", "shop.example")]
    [InlineData("https://shop.example:8443/x", "shop.example:8443")]
    [InlineData("https://a.b.pay.example/", "*.pay.example")]
    [InlineData("http://127.0.0.1:5000/done", "127.0.0.1:5000")]
    public void A_url_on_a_listed_host_passes(string url, string allowed) =>
        Assert.Equal(new Uri(url), RedirectHosts.Check(RedirectHosts.Parse(allowed), url, "success_url"));

    [Theory]
    [InlineData("https://shop.example:9000/x", "shop.example:8443")]
    [InlineData("https://pay.example/", "*.pay.example")]
    [InlineData("https://evilpay.example/", "*.pay.example")]
    [InlineData("https://shop.example.evil.test/", "shop.example")]
    [InlineData("ftp://shop.example/", "shop.example")]
    [InlineData("https://shop.example/", "")]
    public void A_url_elsewhere_is_a_validation_error(string url, string allowed) =>
        Assert.Equal(ErrorKind.Validation, Assert.Throws<PaymentsException>(() => RedirectHosts.Check(RedirectHosts.Parse(allowed), url, "success_url")).Kind);

    [Theory]
    [InlineData("https://shop.example")]
    [InlineData("shop.example/path")]
    [InlineData("shop.*.example")]
    [InlineData("shop.example:port")]
    public void A_list_entry_that_is_not_a_host_stops_start_up_naming_the_variable(string raw) =>
        Assert.Contains("ALLOWED_REDIRECT_HOSTS", Assert.Throws<InvalidOperationException>(() => RedirectHosts.Parse(raw)).Message);
}
