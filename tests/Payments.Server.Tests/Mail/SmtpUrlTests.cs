using MailKit.Security;
using Payments.Server.Features.Mail;
using Payments.Server.Tests.Hosting;

namespace Payments.Server.Tests.Mail;

/// <summary>SMTP_URL as documented, and the settings mail needs, checked before the service listens.</summary>
public class SmtpUrlTests
{
    [Theory]
    [InlineData("smtp://user:pass@mail.example:2525", "mail.example", 2525, SecureSocketOptions.StartTls, "user", "pass")]
    [InlineData("smtp://mail.example", "mail.example", 587, SecureSocketOptions.StartTls, null, null)]
    [InlineData("smtps://u%40x.example:p%3Aw%2Fd@mail.example", "mail.example", 465, SecureSocketOptions.SslOnConnect, "u@x.example", "p:w/d")]
    [InlineData("smtp://relay.internal:25?starttls=false", "relay.internal", 25, SecureSocketOptions.None, null, null)]
    [InlineData("smtp://relay.internal?starttls=true", "relay.internal", 587, SecureSocketOptions.StartTls, null, null)]
    public void SMTP_URL_names_server_port_security_and_login(string url, string host, int port, SecureSocketOptions security, string? user, string? password) =>
        Assert.Equal(new SmtpServer(host, port, security, user, password), SmtpServer.Parse(url));

    [Theory]
    [InlineData("http://mail.example", "is not smtp://user:pass@host:port")]
    [InlineData("mail.example:25", "is not smtp://user:pass@host:port")]
    [InlineData("smtp://mail.example/x", "has a path or fragment")]
    [InlineData("smtp://mail.example?tls=yes", "has 'tls=yes'; the only query parameter is starttls=true|false")]
    [InlineData("smtps://mail.example?starttls=false", "takes no query parameters")]
    [InlineData("smtp://user@mail.example", "names a user without a password")]
    public void A_bad_SMTP_URL_is_refused_naming_the_variable(string url, string why)
    {
        var e = Assert.Throws<InvalidOperationException>(() => SmtpServer.Parse(url));
        Assert.StartsWith($"SMTP_URL='{url}' {why}", e.Message);
    }

    [Fact]
    public void The_password_is_never_repeated_in_the_error_or_the_log_form()
    {
        var e = Assert.Throws<InvalidOperationException>(() => SmtpServer.Parse("smtp://user:hunter2@mail.example/x"));
        Assert.DoesNotContain("hunter2", e.Message);
        Assert.DoesNotContain("hunter2", SmtpServer.Parse("smtp://user:hunter2@mail.example").ToString());
    }

    [Theory]
    [InlineData("SMTP_URL", "smtp://user@mail.example", null, null, "SMTP_URL='smtp://user@mail.example' names a user without a password")]
    [InlineData("SMTP_URL", "smtp://mail.example", null, "https://shop.example", "SMTP_URL is set but MAIL_FROM is not")]
    [InlineData("SMTP_URL", "smtp://mail.example", "not an address", "https://shop.example", "MAIL_FROM='not an address' is not an address")]
    [InlineData("SMTP_URL", "smtp://mail.example", "shop@shop.example", null, "SMTP_URL is set but SITE_BASE_URL is not")]
    public async Task A_mail_setting_that_cannot_work_stops_start_up_naming_it(string name, string value, string? from, string? site, string line)
    {
        var environment = new Dictionary<string, string> { [name] = value };
        if (from is not null) environment["MAIL_FROM"] = from;
        if (site is not null) environment["SITE_BASE_URL"] = site;
        var (code, stderr) = await StartupTests.RunServer(environment);
        Assert.Equal(1, code);
        Assert.Contains("payments: cannot start: " + line, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}
