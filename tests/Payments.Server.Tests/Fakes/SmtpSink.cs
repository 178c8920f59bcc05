using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Payments.Server.Tests.Fakes;

/// <summary>
/// A real SMTP server on 127.0.0.1 (a free port) that keeps what it receives: RFC 5321 over a TCP socket,
/// EHLO, AUTH PLAIN and LOGIN, MAIL, RCPT, DATA (dot-stuffing undone), RSET, NOOP, QUIT. Each accepted
/// message is written to <see cref="Folder"/> as an .eml file and parsed back with MimeKit.
/// <para>
/// Written in C#, not as a Python script: nothing more to install on a fresh Debian (no python3 there), and the
/// test decides its behaviour directly (credentials required, the first N recipients answered 451).
/// </para>
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly (string User, string Password)? _credentials;
    private readonly Task _accepting;
    private int _refuseLeft;

    /// <param name="credentials">When set, AUTH is offered and required before MAIL.</param>
    /// <param name="refuseFirst">How many RCPT commands are answered "451 try again later" (greylisting) first.</param>
    public SmtpSink((string User, string Password)? credentials = null, int refuseFirst = 0)
    {
        _credentials = credentials;
        _refuseLeft = refuseFirst;
        Directory.CreateDirectory(Folder);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "smtp-sink-" + Guid.NewGuid().ToString("N"));

    /// <summary><c>SMTP_URL</c> for this sink (no TLS: it is on loopback).</summary>
    public string Url => _credentials is { } c
        ? $"smtp://{Uri.EscapeDataString(c.User)}:{Uri.EscapeDataString(c.Password)}@127.0.0.1:{Port}?starttls=false"
        : $"smtp://127.0.0.1:{Port}?starttls=false";

    /// <summary>A message as it arrived: the envelope, who logged in, and the parsed message.</summary>
    public sealed record Received(string MailFrom, IReadOnlyList<string> Recipients, string? AuthenticatedAs, MimeMessage Message, string File);

    public ConcurrentQueue<Received> Messages { get; } = new();

    /// <summary>Answers the next <paramref name="count"/> RCPT commands "451 try again later".</summary>
    public void RefuseNext(int count) => Interlocked.Exchange(ref _refuseLeft, count);

    /// <summary>Every RCPT answered 451 (the greylisting), counted.</summary>
    public int Refused => _refused;
    private int _refused;

    /// <summary>Waits until <paramref name="done"/> holds for the messages so far (or fails after the timeout).</summary>
    public async Task<IReadOnlyList<Received>> WaitFor(Func<IReadOnlyList<Received>, bool> done, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var now = Messages.ToList();
            if (done(now)) return now;
            if (DateTime.UtcNow > until) throw new TimeoutException($"The SMTP sink has {now.Count} messages; the condition never held.");
            await Task.Delay(25);
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.Latin1);
        async Task Say(string line) => await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), _stop.Token);

        string? mailFrom = null, user = null;
        var recipients = new List<string>();
        try
        {
            await Say("220 sink.test ESMTP ready");
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                var arg = line.Length > verb.Length ? line[(verb.Length + 1)..] : "";
                switch (verb)
                {
                    case "EHLO":
                        await Say("250-sink.test");
                        if (_credentials is not null) await Say("250-AUTH PLAIN LOGIN");
                        await Say("250 8BITMIME");
                        break;
                    case "HELO":
                        await Say("250 sink.test");
                        break;
                    case "AUTH":
                        user = await AuthAsync(arg, reader, Say);
                        break;
                    case "MAIL":
                        if (_credentials is not null && user is null) { await Say("530 5.7.0 Authentication required"); break; }
                        mailFrom = Address(arg);
                        recipients.Clear();
                        await Say("250 2.1.0 OK");
                        break;
                    case "RCPT":
                        if (Interlocked.Decrement(ref _refuseLeft) >= 0)
                        {
                            Interlocked.Increment(ref _refused);
                            await Say("451 4.7.1 Greylisted, try again later");
                            break;
                        }
                        recipients.Add(Address(arg));
                        await Say("250 2.1.5 OK");
                        break;
                    case "DATA":
                        if (mailFrom is null || recipients.Count == 0) { await Say("503 5.5.1 MAIL and RCPT first"); break; }
                        await Say("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } d && d != ".")
                            data.Append(d.StartsWith('.') ? d[1..] : d).Append("\r\n");
                        Keep(mailFrom, recipients.ToList(), user, data.ToString());
                        mailFrom = null;
                        recipients.Clear();
                        await Say("250 2.0.0 OK queued");
                        break;
                    case "RSET":
                        mailFrom = null;
                        recipients.Clear();
                        await Say("250 2.0.0 OK");
                        break;
                    case "NOOP":
                        await Say("250 2.0.0 OK");
                        break;
                    case "QUIT":
                        await Say("221 2.0.0 Bye");
                        return;
                    default:
                        await Say("502 5.5.2 Command not implemented");
                        break;
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // Stopping: the client sees the connection close.
        }
        catch (IOException)
        {
            // The client went away mid-conversation; what it completed is kept.
        }
    }

    /// <summary>AUTH PLAIN (inline or after a 334) or LOGIN; answers 235 or 535 and returns the user on success.</summary>
    private async Task<string?> AuthAsync(string arg, StreamReader reader, Func<string, Task> say)
    {
        var parts = arg.Split(' ', 2);
        string user, password;
        if (parts[0].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            var encoded = parts.Length == 2 ? parts[1] : await Ask("");
            var fields = Encoding.UTF8.GetString(Convert.FromBase64String(encoded)).Split('\0');
            (user, password) = (fields[1], fields[2]);
        }
        else if (parts[0].Equals("LOGIN", StringComparison.OrdinalIgnoreCase))
        {
            user = Encoding.UTF8.GetString(Convert.FromBase64String(parts.Length == 2 ? parts[1] : await Ask("VXNlcm5hbWU6")));
            password = Encoding.UTF8.GetString(Convert.FromBase64String(await Ask("UGFzc3dvcmQ6")));
        }
        else
        {
            await say("504 5.5.4 Unrecognized authentication type");
            return null;
        }
        if (_credentials is { } c && c.User == user && c.Password == password)
        {
            await say("235 2.7.0 Authentication successful");
            return user;
        }
        await say("535 5.7.8 Authentication credentials invalid");
        return null;

        async Task<string> Ask(string challenge)
        {
            await say("334 " + challenge);
            return await reader.ReadLineAsync(_stop.Token) ?? "";
        }
    }

    private static string Address(string arg)
    {
        var start = arg.IndexOf('<');
        var end = arg.IndexOf('>');
        return start >= 0 && end > start ? arg[(start + 1)..end] : arg;
    }

    private void Keep(string from, List<string> recipients, string? user, string raw)
    {
        var file = Path.Combine(Folder, $"{DateTime.UtcNow:HHmmssfff}-{Guid.NewGuid():N}.eml");
        File.WriteAllText(file, raw, Encoding.Latin1);
        using var stream = File.OpenRead(file);
        Messages.Enqueue(new Received(from, recipients, user, MimeMessage.Load(stream), file));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }
}
