using Microsoft.EntityFrameworkCore;
using Payments.Core.Payments;
using Payments.Server.Features.Mail;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Mail;

/// <summary>Without SMTP_URL the service sends no mail and writes none (turning SMTP on later sends no backlog).</summary>
public sealed class MailOffTests(SqliteAuthApp fixture) : IClassFixture<SqliteAuthApp>
{
    [Fact]
    public async Task Without_SMTP_URL_a_successful_payment_writes_no_mail()
    {
        var app = fixture.App;
        var (_, _, paymentId, dmId) = await MailTests<SqliteMailApp>.UserWithPendingPayment(app);
        var body = DummyEvents.Body("evt_nomail_" + paymentId, "payment.succeeded", dmId, 1900, "EUR");
        using (var client = app.Client()) (await client.Deliver(body, DummyEvents.Sign(body))).EnsureSuccessStatusCode();

        Assert.False(app.Get<MailOutbox>().Enabled);
        await using var db = app.Db();
        Assert.Equal(PaymentStatus.Succeeded, (await db.Context.Payments.SingleAsync(p => p.Id == paymentId)).Status);
        Assert.Equal(0, await db.Context.MailOutbox.CountAsync());
        Assert.False(await app.Get<MailOutbox>().WriteAsync(db.Context, MailKinds.Receipt, "receipt:x", "a@b.example",
            new RenderedMail("s", "t", "h"), DateTimeOffset.UtcNow, CancellationToken.None));
        Assert.Equal(0, await db.Context.MailOutbox.CountAsync());
    }
}
