using System.Globalization;
using MailKit.Security;
using MimeKit;
using Payments.Providers.Common;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Mail;

/// <summary>Where and how mail leaves: the SMTP server of <c>SMTP_URL</c>, parsed once at start.</summary>
/// <param name="Security">
/// <c>smtps://</c>: TLS from the first byte (port 465). <c>smtp://</c>: STARTTLS required (port 587), so
/// the password and the receipts never cross the network in clear text; <c>?starttls=false</c> turns that
/// off for a relay on the same machine or network that speaks no TLS (and the tests' sink).
/// </param>
public sealed record SmtpServer(string Host, int Port, SecureSocketOptions Security, string? User, string? Password)
{
    /// <summary>The URL without its password, for logs and errors.</summary>
    public override string ToString() =>
        $"{(Security == SecureSocketOptions.SslOnConnect ? "smtps" : "smtp")}://{(User is null ? "" : Uri.EscapeDataString(User) + "@")}{Host}:{Port}" +
        (Security == SecureSocketOptions.None ? "?starttls=false" : "");

    /// <summary>
    /// <c>smtp://user:pass@host:port</c>, <c>smtps://…</c>; user and password percent-encoded; the only
    /// query parameter is <c>starttls=true|false</c> (smtp:// only). Anything else is refused, naming the
    /// variable (the password is never repeated in the message).
    /// </summary>
    public static SmtpServer Parse(string raw)
    {
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var uri) || uri.Scheme is not ("smtp" or "smtps") || string.IsNullOrEmpty(uri.Host))
            throw Bad(raw, "is not smtp://user:pass@host:port or smtps://user:pass@host:port");
        if (uri.AbsolutePath is not ("" or "/") || !string.IsNullOrEmpty(uri.Fragment))
            throw Bad(raw, "has a path or fragment; only a query ?starttls=true|false is allowed");
        var implicitTls = uri.Scheme == "smtps";
        var security = implicitTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = pair.IndexOf('=') is var i and >= 0 ? (pair[..i], Uri.UnescapeDataString(pair[(i + 1)..])) : (pair, "");
            if (name != "starttls" || implicitTls || value is not ("true" or "false"))
                throw Bad(raw, implicitTls
                    ? "takes no query parameters (smtps:// is TLS from the start)"
                    : $"has '{name}={value}'; the only query parameter is starttls=true|false");
            security = value == "true" ? SecureSocketOptions.StartTls : SecureSocketOptions.None;
        }
        string? user = null, password = null;
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : null;
            if (user.Length == 0 || string.IsNullOrEmpty(password)) throw Bad(raw, "names a user without a password (or a password without a user)");
        }
        var port = uri.IsDefaultPort || uri.Port < 0 ? (implicitTls ? 465 : 587) : uri.Port;
        return new SmtpServer(uri.IdnHost, port, security, user, password);
    }

    private static InvalidOperationException Bad(string raw, string why)
    {
        // The value is shown without its password: start-up errors end up in logs.
        var shown = Uri.TryCreate(raw, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':')
            ? raw.Replace(uri.UserInfo, uri.UserInfo.Split(':')[0] + ":***", StringComparison.Ordinal)
            : raw;
        return new InvalidOperationException($"SMTP_URL='{shown}' {why}.");
    }
}

/// <summary>
/// Mail settings. With <c>SMTP_URL</c> unset, mail is off: nothing is written to the mail outbox and no
/// worker runs (turning SMTP on later does not send a backlog of stale receipts). With it set,
/// <c>MAIL_FROM</c> and <c>SITE_BASE_URL</c> (mails link to receipts and the portal) are required.
/// </summary>
public sealed record MailOptions
{
    public SmtpServer? Smtp { get; init; }

    /// <summary><c>MAIL_FROM</c>: <c>Shop &lt;billing@shop.example&gt;</c> or a bare address.</summary>
    public MailboxAddress? From { get; init; }

    /// <summary><c>SITE_BASE_URL</c>: the base of every link in a mail.</summary>
    public Uri? SiteBase { get; init; }

    public bool Enabled => Smtp is not null;

    /// <summary><c>MAIL_POLL_MILLISECONDS</c>: how often the worker looks for due mail (default 2000).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary><c>MAIL_RETRY_INITIAL_SECONDS</c>: the wait after the first failed attempt (default 60); it doubles each time.</summary>
    public TimeSpan FirstRetry { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary><c>MAIL_RETRY_MAX_SECONDS</c>: the longest wait between attempts (default 3600).</summary>
    public TimeSpan LongestRetry { get; init; } = TimeSpan.FromHours(1);

    /// <summary><c>MAIL_RETRY_WINDOW_HOURS</c>: after this long since the mail was written, it is given up (default 72).</summary>
    public TimeSpan RetryWindow { get; init; } = TimeSpan.FromDays(3);

    /// <summary><c>SMTP_TIMEOUT_SECONDS</c>: how long one SMTP command may take (default 30).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Mails claimed per pass; they are sent one after another over one connection.</summary>
    public const int ClaimBatch = 10;

    /// <summary>
    /// How long a node holds the mails it claimed: the connection plus every mail of the batch at the
    /// longest timeout each, and a margin, so no other node takes one over while this one may still send it.
    /// </summary>
    public TimeSpan Lease => Timeout * (ClaimBatch + 3) + TimeSpan.FromSeconds(5);

    public static MailOptions Read(IConfiguration configuration, SiteOptions site)
    {
        var options = new MailOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(Number(configuration, "MAIL_POLL_MILLISECONDS", 2000, 10, 60_000)),
            FirstRetry = TimeSpan.FromSeconds(Number(configuration, "MAIL_RETRY_INITIAL_SECONDS", 60, 0.01, 86_400)),
            LongestRetry = TimeSpan.FromSeconds(Number(configuration, "MAIL_RETRY_MAX_SECONDS", 3600, 0.01, 604_800)),
            RetryWindow = TimeSpan.FromHours(Number(configuration, "MAIL_RETRY_WINDOW_HOURS", 72, 0.001, 720)),
            Timeout = TimeSpan.FromSeconds(Number(configuration, "SMTP_TIMEOUT_SECONDS", 30, 1, 300)),
        };
        if (configuration.Value("SMTP_URL") is not { } url) return options;

        var smtp = SmtpServer.Parse(url);
        var fromRaw = configuration.Value("MAIL_FROM")
                      ?? throw new InvalidOperationException("SMTP_URL is set but MAIL_FROM is not: set the sender, e.g. MAIL_FROM='Shop <billing@shop.example>'.");
        if (!MailboxAddress.TryParse(fromRaw, out var from) || !from.Address.Contains('@') || from.Domain.Length == 0)
            throw new InvalidOperationException($"MAIL_FROM='{fromRaw}' is not an address like 'Shop <billing@shop.example>'.");
        if (site.BaseUrl is null)
            throw new InvalidOperationException("SMTP_URL is set but SITE_BASE_URL is not: mails link to receipts and the billing portal and need the public URL.");
        return options with { Smtp = smtp, From = from, SiteBase = site.BaseUrl };
    }

    /// <summary>An absolute link under SITE_BASE_URL.</summary>
    public Uri Link(string pathAndQuery) =>
        new(SiteBase ?? throw new InvalidOperationException("Mail is off (SMTP_URL unset)."), pathAndQuery.TrimStart('/'));

    /// <summary>Exponential backoff with jitter: between half and all of FirstRetry × 2^(attempts-1), capped.</summary>
    public TimeSpan Backoff(int attempts, Random random)
    {
        var ceiling = Math.Min(LongestRetry.TotalSeconds, FirstRetry.TotalSeconds * Math.Pow(2, Math.Min(attempts - 1, 30)));
        return TimeSpan.FromSeconds(ceiling / 2 + random.NextDouble() * ceiling / 2);
    }

    private static double Number(IConfiguration configuration, string name, double fallback, double min, double max)
    {
        var raw = configuration.Value(name);
        if (raw is null) return fallback;
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new InvalidOperationException($"{name}='{raw}' must be a number from {min} to {max}.");
        return value;
    }
}
