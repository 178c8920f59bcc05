using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Payments.Server.Data.Entities;

namespace Payments.Server.Features.Mail;

/// <summary>Sends outbox rows through the SMTP server of <c>SMTP_URL</c> with MailKit, several over one connection.</summary>
public sealed class SmtpMailSender(MailOptions options)
{
    /// <summary>A connection opened on the first send and reopened after any failure (then its state is unknown).</summary>
    public Session Open() => new(options);

    /// <summary>
    /// Whether a failure is the mail's own and will not go away (5xx for the recipient or the content, a
    /// recipient that is no address): the mail is then given up at once. Everything else (4xx such as greylisting,
    /// a refused connection, a timeout, a failed login, a sender the server does not accept yet) is retried.
    /// </summary>
    public static bool IsPermanent(Exception e) => e switch
    {
        SmtpCommandException c => (int)c.StatusCode >= 500 && c.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted,
        ParseException => true,
        _ => false,
    };

    /// <summary>What <c>mail_outbox.last_error</c> says about a failure (no credentials in it).</summary>
    public static string Describe(Exception e) => e switch
    {
        SmtpCommandException c => $"SMTP {(int)c.StatusCode}: {c.Message.Trim()}",
        AuthenticationException => "SMTP login refused (check the user and password in SMTP_URL)",
        OperationCanceledException or TimeoutException => "SMTP server did not answer in time",
        _ => $"{e.GetType().Name}: {e.Message}",
    } is var text && text.Length > 500 ? text[..500] : text;

    public static MimeMessage Message(MailOutboxRow row, MailboxAddress from)
    {
        var message = new MimeMessage { Subject = row.Subject, MessageId = row.MessageId, Date = row.CreatedAt };
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse(row.Recipient));
        // RFC 3834: sent by a program, so auto-responders do not answer it.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Body = new BodyBuilder { TextBody = row.TextBody, HtmlBody = row.HtmlBody }.ToMessageBody();
        return message;
    }

    public sealed class Session(MailOptions options) : IAsyncDisposable
    {
        private SmtpClient? _client;

        public async Task SendAsync(MailOutboxRow row, CancellationToken ct)
        {
            var message = Message(row, options.From!);
            try
            {
                if (_client is not { IsConnected: true }) await ConnectAsync(ct);
                await _client!.SendAsync(message, ct);
            }
            catch
            {
                await DropAsync();
                throw;
            }
        }

        private async Task ConnectAsync(CancellationToken ct)
        {
            await DropAsync();
            var smtp = options.Smtp!;
            var client = new SmtpClient { Timeout = (int)options.Timeout.TotalMilliseconds };
            _client = client;
            await client.ConnectAsync(smtp.Host, smtp.Port, smtp.Security, ct);
            if (smtp.User is not null) await client.AuthenticateAsync(smtp.User, smtp.Password!, ct);
        }

        private async Task DropAsync()
        {
            if (_client is null) return;
            var client = _client;
            _client = null;
            try
            {
                if (client.IsConnected) await client.DisconnectAsync(quit: true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception)
            {
                // Closing a connection that already failed: nothing left to learn from it.
            }
            client.Dispose();
        }

        public async ValueTask DisposeAsync() => await DropAsync();
    }
}
