using System.Net;
using Payments.Core.Providers;
using Payments.Providers.Dummy;
using Payments.Server.Data;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Dummy;

/// <summary>
/// The dummy keeps its checkouts in our database: after a restart (a new service on the same
/// database) its earlier payments are still known to verify, refunds and its checkout page.
/// </summary>
public class DummyRestartTests
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Verify_and_refund_still_know_a_dummy_payment_after_the_service_restarts(DatabaseKind engine)
    {
        await using var database = await DatabaseAsync(engine);
        var settings = Credentials.Settings();
        string paidId, paidDm, lostId, lostDm;
        await using (var before = new PaymentsApp(database, settings))
        {
            using var client = before.Client();
            (paidId, paidDm) = await NewPayment(client);
            (await client.PayDummy(paidDm)).Dispose();
            (lostId, lostDm) = await NewPayment(client);
            // Paid at the dummy, but its webhook is lost: only asking the dummy can tell.
            await before.Get<DummyProvider>().SimulateAsync(lostDm, ProviderPaymentStatus.Succeeded, default);
        }

        await using var after = new PaymentsApp(database, settings);
        using var guest = after.Client();
        using var admin = after.Client().As(Credentials.AdminKey);

        var healed = await (await guest.PostJson("/api/v1/payment/verify", new { payment_id = lostId })).Body();
        Assert.Equal("succeeded", healed.Str("status"));

        var refund = await admin.PostJson("/api/v1/payment/refund", new { payment_id = paidId, amount = 500 });
        Assert.Equal(HttpStatusCode.OK, refund.StatusCode);
        var refunded = await refund.Body();
        Assert.Equal(("succeeded", "partially_refunded"), (refunded.Str("status"), refunded.Str("payment_status")));

        var atTheDummy = await after.Get<DummyProvider>().GetPaymentAsync(paidDm, default);
        Assert.Equal((ProviderPaymentStatus.Succeeded, 500L), (atTheDummy.Status, atTheDummy.RefundedTotal!.Value.Minor));
        var verified = await (await guest.PostJson("/api/v1/payment/verify", new { payment_id = paidId })).Body();
        Assert.Equal(("partially_refunded", 500L), (verified.Str("status"), verified.GetProperty("refunded").GetInt64()));
        Assert.Equal(HttpStatusCode.OK, (await guest.GetAsync($"/payments/simulate/{paidDm}")).StatusCode);
    }

    private static async Task<(string PaymentId, string DmId)> NewPayment(HttpClient client)
    {
        var intent = await (await client.PostJson("/api/v1/payment/create-intent", new { plan = "basic" })).Body();
        return (intent.Str("payment_id"), intent.Str("provider_payment_id"));
    }

    private static async Task<ITestDatabase> DatabaseAsync(DatabaseKind engine)
    {
        if (engine == DatabaseKind.Sqlite) return new SqliteTestDatabase();
        if (PostgresTestDatabase.ServerUrl is null)
        {
            if (PostgresTestDatabase.Required) throw new InvalidOperationException("PAYMENTS_TEST_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set.");
            Assert.Skip("PostgreSQL tests need TEST_DATABASE_URL (./scripts/test.sh sets it).");
        }
        return await PostgresTestDatabase.CreateAsync();
    }
}
