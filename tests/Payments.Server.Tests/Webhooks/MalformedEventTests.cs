using System.Net;
using System.Text;
using Payments.Server.Tests.Payments;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Webhooks;

/// <summary>A delivery signed with the right secret that is not an event: the sender's bug, answered malformed_event (400), not signature_invalid.</summary>
public abstract class MalformedEventTests<TApp>(TApp fixture) : PaymentFlowTestsBase<TApp>(fixture) where TApp : AppFixture
{
    [Theory]
    [InlineData("{\"hello\":1}")]
    [InlineData("not json at all")]
    [InlineData("{\"id\":\"evt_x\"}")]
    [InlineData("{\"id\":\"evt_x\",\"type\":\"payment.succeeded\",\"payment_id\":\"dm_x\",\"amount\":100,\"currency\":\"XXQ\"}")]
    public async Task A_validly_signed_body_that_is_not_an_event_answers_400_malformed_event(string text)
    {
        using var http = App.Client();
        var body = Encoding.UTF8.GetBytes(text);
        var response = await http.Deliver(body, DummyEvents.Sign(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("malformed_event", (await response.Body()).Str("code"));
    }
}

public sealed class MalformedEventTests_Sqlite(SqliteApp app) : MalformedEventTests<SqliteApp>(app);

public sealed class MalformedEventTests_Postgres(PostgresApp app) : MalformedEventTests<PostgresApp>(app);
