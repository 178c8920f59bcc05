using System.Net;
using System.Text.Json.Nodes;
using Payments.Core.Payments;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Omise;

/// <summary>
/// Without OMISE_WEBHOOK_SECRET (and for Omise's older, unsigned events) a delivery proves nothing: it only
/// says which charge to look at. What Omise answers for that charge is applied, under an id made from the answer.
/// </summary>
public abstract class OmiseRefetchTests<TApp>(TApp fixture) : OmiseTestsBase<TApp>(fixture) where TApp : AppFixture, IOmiseApp
{
    [Fact]
    public async Task A_forged_success_for_a_charge_still_pending_at_Omise_changes_nothing()
    {
        var (paymentId, chargeId, _) = await NewOmisePayment();
        var forged = Omise.Event("charge.complete", new()
        {
            ["object"] = "charge", ["id"] = chargeId, ["status"] = "successful", ["paid"] = true, ["amount"] = 190000, ["currency"] = "thb",
            ["metadata"] = new JsonObject { ["payment_id"] = paymentId },
        });

        var response = await Omise.DeliverAsync(forged);

        Assert.Equal((HttpStatusCode.OK, "no_change", (string?)null), await Read(response));
        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status);
        Assert.Equal("refetch", (await EventRow($"refetch:{chargeId}:pending:0")).Verification);
        Assert.Equal(0, await EventRows(forged.EventId));
    }

    [Fact]
    public async Task A_forged_delivery_cannot_claim_the_id_of_the_real_event_still_to_come()
    {
        var (paymentId, chargeId, _) = await NewOmisePayment();
        const string comingEventId = "evnt_test_5zzzzzzzzzzzzzzzzzzz";
        await Omise.DeliverAsync(Omise.Event("charge.complete", new() { ["object"] = "charge", ["id"] = chargeId }, comingEventId));

        Omise.Complete(chargeId);
        var real = await Omise.DeliverAsync(Omise.ChargeEvent("charge.complete", chargeId, comingEventId));

        Assert.Equal((HttpStatusCode.OK, "applied", (string?)null), await Read(real));
        Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);
    }

    [Fact]
    public async Task An_event_about_a_charge_Omise_does_not_know_is_recorded_and_changes_nothing()
    {
        var (paymentId, _, _) = await NewOmisePayment();
        var forged = Omise.Event("charge.complete", new()
        {
            ["object"] = "charge", ["id"] = "chrg_test_5forged0000000000000", ["status"] = "successful", ["paid"] = true,
            ["metadata"] = new JsonObject { ["payment_id"] = paymentId },
        });

        var response = await Omise.DeliverAsync(forged);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status);
        Assert.Single(Omise.RequestsTo("GET", "/charges/chrg_test_5forged0000000000000"));
    }

    [Fact]
    public async Task A_refund_total_comes_from_Omise_not_from_the_body()
    {
        var (paymentId, chargeId, _) = await PaidPayment();
        var refund = Omise.RefundElsewhere(chargeId, 20000);
        var inflated = Omise.Event("refund.create", new()
        {
            ["object"] = "refund", ["id"] = refund.Id, ["amount"] = 190000, ["currency"] = "thb", ["charge"] = chargeId,
        });

        Assert.Equal("applied", (await Read(await Omise.DeliverAsync(inflated))).Outcome);
        var payment = await Load(paymentId);
        Assert.Equal((PaymentStatus.PartiallyRefunded, 20000L), (payment.Status, payment.RefundedMinor));
    }
}

public sealed class OmiseRefetchTests_Sqlite(OmiseSqliteApp_Refetch app) : OmiseRefetchTests<OmiseSqliteApp_Refetch>(app);
public sealed class OmiseRefetchTests_Postgres(OmisePostgresApp_Refetch app) : OmiseRefetchTests<OmisePostgresApp_Refetch>(app);
