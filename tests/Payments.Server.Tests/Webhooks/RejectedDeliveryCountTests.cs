using System.Net;
using Microsoft.EntityFrameworkCore;
using Payments.Server.Features.Webhooks;
using Payments.Server.Tests.Payments;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Webhooks;

/// <summary>Refused deliveries cost no database write (a flood of them once slowed real webhooks): they are counted in memory.</summary>
public abstract class RejectedDeliveryCountTests<TApp>(TApp fixture) : PaymentFlowTestsBase<TApp>(fixture) where TApp : AppFixture
{
    [Fact]
    public async Task Refused_deliveries_are_counted_and_write_nothing_to_the_database()
    {
        using var http = App.Client();
        var (_, dmId) = await NewPendingPayment();
        var body = DummyEvents.Body("evt_flood_" + dmId, "payment.succeeded", dmId, 1900, "EUR");
        await using (var before = App.Db())
        {
            var audits = await before.Context.AuditLog.CountAsync();
            for (var i = 0; i < 5; i++)
                Assert.Equal(HttpStatusCode.BadRequest, (await http.Deliver(body, DummyEvents.Sign(body, secret: "forged"))).StatusCode);
            var garbage = "{}"u8.ToArray();
            Assert.Equal(HttpStatusCode.BadRequest, (await http.Deliver(garbage, DummyEvents.Sign(garbage))).StatusCode);
            await using var after = App.Db();
            Assert.Equal(audits, await after.Context.AuditLog.CountAsync());
        }
        var totals = App.Get<WebhookRejections>().Totals();
        Assert.Contains(totals, t => t is { Provider: "dummy", Reason: "signature_invalid", Count: >= 5 });
        Assert.Contains(totals, t => t is { Provider: "dummy", Reason: "malformed_event", Count: >= 1 });
    }
}

public sealed class RejectedDeliveryCountTests_Sqlite(SqliteApp app) : RejectedDeliveryCountTests<SqliteApp>(app);

public sealed class RejectedDeliveryCountTests_Postgres(PostgresApp app) : RejectedDeliveryCountTests<PostgresApp>(app);
