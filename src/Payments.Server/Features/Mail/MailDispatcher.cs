using Microsoft.EntityFrameworkCore;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Data.Sql;

namespace Payments.Server.Features.Mail;

/// <summary>
/// Sends the mail outbox, on every node, when <c>SMTP_URL</c> is set:
/// <list type="number">
/// <item>claim: due mails nobody holds are leased to this node in one statement (PostgreSQL skips rows another
/// node is claiming; SQLite has one writer), so two nodes never send the same mail at once;</item>
/// <item>send: one after another over one SMTP connection; each answer is recorded at once, in its own
/// transaction, and only while this node still holds the lease;</item>
/// <item>retry: a refusal for the mail itself (5xx for recipient or content) gives it up; anything else is
/// tried again with exponential backoff and jitter until <c>MAIL_RETRY_WINDOW_HOURS</c> after it was written.</item>
/// </list>
/// <para>
/// At least once, not exactly once, towards the SMTP server: a node that dies (or loses the database) after
/// the server accepted a mail and before it recorded that, holds the lease until it runs out; then a node sends
/// the mail again, with the same Message-ID. Never twice at the same time, and never again once recorded as sent.
/// </para>
/// </summary>
public sealed class MailDispatcher(
    IServiceScopeFactory scopes, MailOptions options, SmtpMailSender smtp, TimeProvider clock, ILogger<MailDispatcher> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled) return;
        log.LogInformation("Sending mail through {Smtp} as {From}", options.Smtp, options.From);
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                busy = await RunOnceAsync(stoppingToken) > 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be restarting; every mail is still in it, so the next pass resumes.
                log.LogWarning(e, "Mail pass failed; retrying in {Interval}", options.PollInterval);
            }
            if (busy) continue;
            try
            {
                await Task.Delay(options.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass: claims due mails and sends them. Answers how many it claimed.</summary>
    internal async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDb>();
        var now = clock.GetUtcNow();
        // A plain read first: most passes find nothing, and then no write transaction is opened.
        if (!await db.MailOutbox.AnyAsync(m => m.Status == MailStatus.Pending && m.NextAttemptAt <= now, ct)) return 0;
        // Microsecond precision: what PostgreSQL keeps, so the lease compares equal when it is recorded.
        var leaseEnd = (now + options.Lease).UtcTicks;
        var lease = new DateTimeOffset(leaseEnd - leaseEnd % 10, TimeSpan.Zero);
        List<long> ids;
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            ids = await MailOutboxRows.ClaimAsync(db, now, lease, MailOptions.ClaimBatch, ct);
            await tx.CommitAsync(ct);
        }
        if (ids.Count == 0) return 0;

        var rows = await db.MailOutbox.AsNoTracking().Where(m => ids.Contains(m.Id)).OrderBy(m => m.Id).ToListAsync(ct);
        await using var session = smtp.Open();
        foreach (var row in rows)
        {
            Exception? failure = null;
            try
            {
                await session.SendAsync(row, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                failure = e;
            }
            await RecordAsync(db, row, lease, failure, ct);
        }
        return rows.Count;
    }

    private async Task RecordAsync(PaymentsDb db, MailOutboxRow row, DateTimeOffset lease, Exception? failure, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var attempts = row.Attempts + 1;
        var status = failure is null ? MailStatus.Sent
            : SmtpMailSender.IsPermanent(failure) || now - row.CreatedAt >= options.RetryWindow ? MailStatus.Failed
            : MailStatus.Pending;
        var next = status == MailStatus.Pending ? now + options.Backoff(attempts, Random.Shared) : row.NextAttemptAt;
        var error = failure is null ? null : SmtpMailSender.Describe(failure);
        bool recorded;
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            recorded = await MailOutboxRows.RecordAsync(db, row.Id, lease, status, attempts, next, failure is null ? now : null, error, now, ct);
            await tx.CommitAsync(ct);
        }
        if (!recorded)
            log.LogWarning("Mail {Id} ({Kind}) outlived its lease; another node took it over and records it", row.Id, row.Kind);
        else if (status == MailStatus.Failed)
            log.LogWarning("Gave up mail {Id} ({Kind}) to {Recipient} after {Attempts} attempts: {Error}", row.Id, row.Kind, row.Recipient, attempts, error);
        else if (status == MailStatus.Pending)
            log.LogInformation("Mail {Id} ({Kind}) not sent ({Error}); next attempt at {Next:O}", row.Id, row.Kind, error, next);
    }
}
