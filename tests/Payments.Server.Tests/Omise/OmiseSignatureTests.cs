using System.Net;
using System.Text;
using Payments.Core.Payments;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Omise;

/// <summary>With OMISE_WEBHOOK_SECRET set, a delivery must carry a valid, fresh Omise-Signature; anything else is 400 and touches nothing.</summary>
public abstract class OmiseSignatureTests<TApp>(TApp fixture) : OmiseTestsBase<TApp>(fixture) where TApp : AppFixture, IOmiseApp
{
    private async Task<(string PaymentId, string ChargeId)> PaidWithoutWebhook()
    {
        var (paymentId, chargeId, _) = await NewOmisePayment();
        Omise.Complete(chargeId);
        return (paymentId, chargeId);
    }

    private async Task AssertRefusedUntouched(HttpResponseMessage response, string paymentId, string chargeId)
    {
        Assert.Equal((HttpStatusCode.BadRequest, (string?)null, "signature_invalid"), await Read(response));
        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status);
        Assert.Empty(Omise.RequestsTo("GET", $"/charges/{chargeId}")); // refused before anything is fetched
    }

    [Fact]
    public async Task A_body_changed_after_signing_is_refused()
    {
        var (paymentId, chargeId) = await PaidWithoutWebhook();
        var signed = Omise.ChargeEvent("charge.complete", chargeId);
        var tampered = signed.WithBody(Encoding.UTF8.GetString(signed.Body).Replace("charge.complete", "charge.create"));
        await AssertRefusedUntouched(await Omise.DeliverAsync(tampered), paymentId, chargeId);
    }

    [Fact]
    public async Task An_unsigned_delivery_is_refused_once_a_secret_is_set()
    {
        var (paymentId, chargeId) = await PaidWithoutWebhook();
        await AssertRefusedUntouched(await Omise.DeliverAsync(Omise.ChargeEvent("charge.complete", chargeId).Unsigned()), paymentId, chargeId);
    }

    [Fact]
    public async Task A_signature_older_than_five_minutes_is_refused()
    {
        var (paymentId, chargeId) = await PaidWithoutWebhook();
        var old = Omise.Event("charge.complete", new() { ["object"] = "charge", ["id"] = chargeId }, signedAt: DateTimeOffset.UtcNow.AddMinutes(-6));
        await AssertRefusedUntouched(await Omise.DeliverAsync(old), paymentId, chargeId);
    }

    [Fact]
    public async Task A_signed_body_that_is_not_an_event_is_malformed_not_forged()
    {
        var response = await Omise.DeliverAsync(Omise.Sign("{\"object\":\"charge\"}"u8.ToArray(), DateTimeOffset.UtcNow));
        Assert.Equal((HttpStatusCode.BadRequest, (string?)null, "malformed_event"), await Read(response));
    }

    [Fact]
    public async Task A_signed_event_is_still_applied_as_Omise_answers_not_as_its_body_says()
    {
        var (paymentId, chargeId, _) = await NewOmisePayment();
        // Signed, but about a charge that is still pending at Omise: the body's "successful" is not believed.
        var early = Omise.Event("charge.complete", new() { ["object"] = "charge", ["id"] = chargeId, ["status"] = "successful", ["paid"] = true });

        var response = await Omise.DeliverAsync(early);

        Assert.Equal((HttpStatusCode.OK, "no_change", (string?)null), await Read(response));
        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status);
        Assert.Equal("hmac-sha256", (await EventRow(early.EventId)).Verification);
    }
}

public sealed class OmiseSignatureTests_Sqlite(OmiseSqliteApp_Signed app) : OmiseSignatureTests<OmiseSqliteApp_Signed>(app);
public sealed class OmiseSignatureTests_Postgres(OmisePostgresApp_Signed app) : OmiseSignatureTests<OmisePostgresApp_Signed>(app);
