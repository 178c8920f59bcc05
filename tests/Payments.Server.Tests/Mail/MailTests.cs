using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Payments.Core.Money;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Mail;
using Payments.Server.Tests.Fakes;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Mail;

/// <summary>
/// The service with mail on, sending to a real SMTP server on loopback (<see cref="SmtpSink"/>) that requires a
/// login; the worker looks every 50 ms and retries within a fraction of a second. Payment reads are slowed so
/// concurrent deliveries of one webhook really overlap.
/// </summary>
public abstract class MailApp(DatabaseKind engine) : AppFixture(engine)
{
    public const string SmtpUser = "mailer", SmtpPassword = "s3cret:p@ss/word";
    public const string Site = "https://shop.example/";

    public SmtpSink Sink { get; } = new((SmtpUser, SmtpPassword));

    protected override IReadOnlyDictionary<string, string?> Settings => Credentials.Settings(new()
    {
        ["SMTP_URL"] = Sink.Url,
        ["MAIL_FROM"] = "Shop Billing <billing@shop.example>",
        ["SITE_BASE_URL"] = Site,
        ["MERCHANT_NAME"] = "Shop Ltd",
        ["MAIL_POLL_MILLISECONDS"] = "50",
        ["MAIL_RETRY_INITIAL_SECONDS"] = "0.1",
        ["MAIL_RETRY_MAX_SECONDS"] = "0.3",
    });

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IInterceptor>(new SlowPaymentReads(TimeSpan.FromMilliseconds(50)));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Sink.DisposeAsync();
    }
}

public sealed class SqliteMailApp() : MailApp(DatabaseKind.Sqlite);

public sealed class PostgresMailApp() : MailApp(DatabaseKind.Postgres);

/// <summary>Receipts after a success, and the mails the subscriptions feature writes, each sent exactly once per event.</summary>
public abstract class MailTests<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : MailApp
{
    private PaymentsApp App => fixture.App;
    private SmtpSink Sink => fixture.Sink;

    /// <summary>A signed-in user with billing information, and a pending payment of theirs at the dummy.</summary>
    internal static async Task<(string User, string Email, string PaymentId, string DmId)> UserWithPendingPayment(PaymentsApp app)
    {
        var user = "user-" + Guid.NewGuid().ToString("N")[..10];
        var email = $"{user}@customer.example";
        using var client = app.Client().As(Credentials.Jwt(user));
        var info = await client.PutAsJsonAsync("/api/v1/billing/info", new
        {
            name = "Ada Lovelace", email, vat_id = (string?)null,
            address = new { line1 = "Hauptstraße 1", line2 = (string?)null, city = "Berlin", postal_code = "10115", country = "DE" },
        }, Json.Options);
        Assert.True(info.StatusCode == HttpStatusCode.OK, await info.Content.ReadAsStringAsync());
        var intent = await (await client.PostJson("/api/v1/payment/create-intent", new { plan = "basic" })).Body();
        return (user, email, intent.Str("payment_id"), intent.Str("provider_payment_id"));
    }

    private async Task DeliverSuccessConcurrently(string paymentId, string dmId, int times)
    {
        var body = DummyEvents.Body("evt_mail_" + paymentId, "payment.succeeded", dmId, 1900, "EUR");
        var signature = DummyEvents.Sign(body);
        var clients = Enumerable.Range(0, times).Select(_ => App.Client()).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var deliveries = clients.Select(c => Task.Run(async () =>
        {
            await start.Task;
            return (await c.Deliver(body, signature)).StatusCode;
        })).ToArray();
        start.SetResult();
        Assert.All(await Task.WhenAll(deliveries), code => Assert.Equal(HttpStatusCode.OK, code));
        foreach (var c in clients) c.Dispose();
    }

    private async Task<MailOutboxRow> Row(string dedupeKey)
    {
        await using var db = App.Db();
        return await db.Context.MailOutbox.AsNoTracking().SingleAsync(m => m.DedupeKey == dedupeKey);
    }

    /// <summary>Waits a few worker passes more, so a second (wrong) mail would have arrived by now.</summary>
    private static Task Settle() => Task.Delay(TimeSpan.FromMilliseconds(600));

    [Fact]
    public async Task One_receipt_per_successful_payment_even_when_its_webhook_arrives_three_times_at_once()
    {
        var (_, email, paymentId, dmId) = await UserWithPendingPayment(App);
        await DeliverSuccessConcurrently(paymentId, dmId, 3);

        await Sink.WaitFor(m => m.Any(x => x.Recipients.Contains(email)));
        await Settle();
        var mail = Assert.Single(Sink.Messages, x => x.Recipients.Contains(email));
        var message = mail.Message;
        Assert.Equal(("billing@shop.example", "Shop Billing"), (message.From.Mailboxes.Single().Address, message.From.Mailboxes.Single().Name));
        Assert.Equal("billing@shop.example", mail.MailFrom);
        Assert.StartsWith("Receipt R-", message.Subject);
        Assert.Contains("19.00 EUR", message.Subject);
        Assert.Contains("Hello Ada Lovelace,", message.TextBody);
        Assert.Contains($"{MailApp.Site}payments/thanks?payment_id={paymentId}", message.TextBody);
        Assert.Contains($"href=\"{MailApp.Site}payments/thanks?payment_id={paymentId}\"", message.HtmlBody);
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);

        var row = await Row($"receipt:{paymentId}");
        Assert.Equal((MailStatus.Sent, 1, MailKinds.Receipt, email), (row.Status, row.Attempts, row.Kind, row.Recipient));
        Assert.Equal(row.MessageId, message.MessageId);
        Assert.NotNull(row.SentAt);
    }

    [Fact]
    public async Task The_smtp_login_of_SMTP_URL_reaches_the_server()
    {
        var (_, email, paymentId, dmId) = await UserWithPendingPayment(App);
        await DeliverSuccessConcurrently(paymentId, dmId, 1);
        var mail = (await Sink.WaitFor(m => m.Any(x => x.Recipients.Contains(email)))).Single(x => x.Recipients.Contains(email));
        // The password has ':', '@' and '/' in it, percent-encoded in the URL: the sink compared it as sent.
        Assert.Equal(MailApp.SmtpUser, mail.AuthenticatedAs);
    }

    [Fact]
    public async Task A_mail_the_server_refuses_for_now_is_sent_again_later_and_arrives_once()
    {
        var (_, email, paymentId, dmId) = await UserWithPendingPayment(App);
        var refusedBefore = Sink.Refused;
        Sink.RefuseNext(1);
        await DeliverSuccessConcurrently(paymentId, dmId, 1);

        await Sink.WaitFor(m => m.Any(x => x.Recipients.Contains(email)));
        await Settle();
        Assert.Single(Sink.Messages, x => x.Recipients.Contains(email));
        Assert.Equal(refusedBefore + 1, Sink.Refused);
        var row = await Row($"receipt:{paymentId}");
        Assert.Equal((MailStatus.Sent, 2), (row.Status, row.Attempts));
    }

    [Fact]
    public async Task Payment_failed_and_trial_ending_mails_are_written_once_per_event_in_the_callers_transaction()
    {
        var mail = App.Get<MailOutbox>();
        var now = DateTimeOffset.UtcNow;
        var to = $"sub-{Guid.NewGuid():N}@customer.example";
        var invoice = "in_" + Guid.NewGuid().ToString("N")[..12];
        var failed = new PaymentFailedMail(to, "Grace", $"{invoice}:1", "Pro (monthly)", Money.Parse("29.00 EUR"),
            new Uri("https://shop.example/account/billing"), "Your card was declined.", now.AddDays(3));
        var trial = new TrialEndingMail(to, "Grace", "sub_" + invoice, "Pro (monthly)", now.AddDays(3), new Uri("https://shop.example/account/billing"),
            Money.Parse("29.00 EUR"), "month");

        await using (var scope = App.Db())
        {
            var db = scope.Context;
            // Rolled back: the mails go with the change they were about.
            await using (var tx = await db.BeginWriteAsync(CancellationToken.None))
            {
                Assert.True(await mail.PaymentFailedAsync(db, failed, now, CancellationToken.None));
            }
            await using (var tx = await db.BeginWriteAsync(CancellationToken.None))
            {
                Assert.True(await mail.PaymentFailedAsync(db, failed, now, CancellationToken.None));
                Assert.False(await mail.PaymentFailedAsync(db, failed, now, CancellationToken.None)); // the same event again
                Assert.True(await mail.TrialEndingAsync(db, trial, now, CancellationToken.None));
                Assert.False(await mail.TrialEndingAsync(db, trial, now, CancellationToken.None));
                await tx.CommitAsync(CancellationToken.None);
            }
            await using (var tx = await db.BeginWriteAsync(CancellationToken.None))
            {
                // A later event is a new mail: the next failed attempt, a trial that was extended.
                Assert.True(await mail.PaymentFailedAsync(db, failed with { EventKey = $"{invoice}:2" }, now, CancellationToken.None));
                Assert.False(await mail.TrialEndingAsync(db, trial, now, CancellationToken.None));
                await tx.CommitAsync(CancellationToken.None);
            }
        }

        await Sink.WaitFor(m => m.Count(x => x.Recipients.Contains(to)) >= 3);
        await Settle();
        var mine = Sink.Messages.Where(x => x.Recipients.Contains(to)).Select(x => x.Message).ToList();
        Assert.Equal(3, mine.Count);
        var failures = mine.Where(m => m.Subject == "Payment failed: Pro (monthly), 29.00 EUR").ToList();
        Assert.Equal(2, failures.Count);
        Assert.Contains("Hello Grace,", failures[0].TextBody);
        Assert.Contains("Reason: Your card was declined.", failures[0].TextBody);
        Assert.Contains("Billing portal:\nhttps://shop.example/account/billing", failures[0].TextBody!.Replace("\r\n", "\n"));
        Assert.Contains("href=\"https://shop.example/account/billing\"", failures[0].HtmlBody);
        var ending = Assert.Single(mine, m => m.Subject!.StartsWith("Your trial of Pro (monthly) ends on "));
        Assert.Contains("ends in 3 days", ending.TextBody);
        Assert.Contains("Then: 29.00 EUR per month", ending.TextBody);
        Assert.Contains("href=\"https://shop.example/account/billing\"", ending.HtmlBody);
    }
}

public sealed class MailTests_Sqlite(SqliteMailApp app) : MailTests<SqliteMailApp>(app);

public sealed class MailTests_Postgres(PostgresMailApp app) : MailTests<PostgresMailApp>(app);
