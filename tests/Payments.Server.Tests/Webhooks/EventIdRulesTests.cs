using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payments.Core.Payments;
using Payments.Server.Tests.Payments;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Webhooks;

/// <summary>
/// Event ids and types we cannot store the same way on both engines (NUL, control characters, broken
/// UTF-16, too long): refused with 400 malformed_event before any SQL, alone, however they are batched.
/// </summary>
public abstract class EventIdRulesTests<TApp>(TApp fixture) : PaymentFlowTestsBase<TApp>(fixture) where TApp : AppFixture
{
    private static byte[] Raw(object body) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body));

    /// <summary>Id and type as JSON string contents (escapes as a sender writes them), so lone surrogates survive.</summary>
    public static TheoryData<string, string> HostileIds() => new()
    {
        { "evt_nul_\\u0000_{0}", "payment.succeeded" },
        { "evt_ok_{0}", "payment.succeeded\\u0000" },
        { "evt_long_{0}_" + new string('a', 9000), "payment.succeeded" },
        { "evt_ctl_\\u0001_{0}", "payment.succeeded" },
        { "evt_surrogate_\\ud800_{0}", "payment.succeeded" },
        { "evt_type_{0}", new string('t', 300) },
        { "", "payment.succeeded" },
    };

    [Theory]
    [MemberData(nameof(HostileIds))]
    public async Task An_event_id_or_type_with_a_NUL_a_control_character_or_over_the_limit_is_refused_with_400_and_nothing_is_stored(string id, string type)
    {
        using var http = App.Client();
        var (paymentId, dmId) = await NewPendingPayment();
        var body = Encoding.UTF8.GetBytes(
            $"{{\"id\":\"{id.Replace("{0}", paymentId)}\",\"type\":\"{type}\",\"payment_id\":\"{dmId}\",\"amount\":1900,\"currency\":\"EUR\"}}");

        var response = await http.Deliver(body, DummyEvents.Sign(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("malformed_event", (await response.Body()).Str("code"));
        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status);
        await using var db = App.Db();
        Assert.Equal(0, await db.Context.PaymentEvents.CountAsync(e => e.PaymentId == paymentId));
    }

    [Fact]
    public async Task A_hostile_delivery_in_a_batch_fails_alone_and_its_neighbours_are_applied()
    {
        using var http = App.Client();
        var payments = new List<(string PaymentId, string DmId)>();
        for (var i = 0; i < 6; i++) payments.Add(await NewPendingPayment());
        var hostile = Raw(new { id = "evt_\0", type = "payment.succeeded", payment_id = payments[0].DmId, amount = 1900, currency = "EUR" });
        var sends = new List<Task<HttpResponseMessage>> { http.Deliver(hostile, DummyEvents.Sign(hostile)) };
        foreach (var (paymentId, dmId) in payments.Skip(1))
        {
            var body = DummyEvents.Body("evt_ok_" + paymentId, "payment.succeeded", dmId, 1900, "EUR");
            sends.Add(http.Deliver(body, DummyEvents.Sign(body)));
        }
        var responses = await Task.WhenAll(sends);

        Assert.Equal(HttpStatusCode.BadRequest, responses[0].StatusCode);
        Assert.All(responses.Skip(1), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var (paymentId, _) in payments.Skip(1)) Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);
    }
}

public sealed class EventIdRulesTests_Sqlite(SqliteApp app) : EventIdRulesTests<SqliteApp>(app);

public sealed class EventIdRulesTests_Postgres(PostgresApp app) : EventIdRulesTests<PostgresApp>(app);
