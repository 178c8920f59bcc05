using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Payments.Core.Payments;
using Payments.Providers.MobilePay;
using Payments.Server.Tests.Fakes.MobilePay;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.MobilePay;

/// <summary>ePayment webhooks: HMAC-verified, each applied once, money that is not ours ends conflicted.</summary>
public abstract class MobilePayWebhookTests<TApp>(TApp fixture) : MobilePayTestsBase<TApp>(fixture) where TApp : AppFixture, IMobilePayApp
{
    /// <summary>A signed event Vipps never produced (a capture for another amount), for the payment's reference.</summary>
    private VippsDelivery Forged(string reference, string name, long amount, string currency = "EUR") =>
        Vipps.Sign(Vipps.Webhook(), Vipps.Body(reference, currency,
            new FakeVippsEvent(name, FakeMobilePayState.NewPspReference(), amount, null, true, DateTimeOffset.UtcNow)));

    [Fact]
    public async Task A_capture_reported_for_another_amount_answers_409_and_marks_the_payment_conflicted()
    {
        var (paymentId, reference, _) = await NewPayment();
        Vipps.Authorize(reference); // the authorization's webhook is lost; Vipps then reports a capture of 1.00

        var response = await Deliver(Forged(reference, "CAPTURED", 100));

        Assert.Equal((HttpStatusCode.Conflict, (string?)null, "amount_mismatch"), await Read(response));
        var payment = await Load(paymentId);
        Assert.Equal(PaymentStatus.Conflicted, payment.Status);
        Assert.Contains("1.00 EUR", payment.FailureReason);
    }

    [Fact]
    public async Task The_same_capture_delivered_twice_settles_the_payment_once()
    {
        var (paymentId, reference, _) = await NewPayment();
        Vipps.Authorize(reference);
        var capture = Forged(reference, "CAPTURED", 1900);

        var first = await Deliver(capture);
        var second = await Deliver(capture);

        Assert.Equal(("applied", "duplicate"), ((await Read(first)).Outcome, (await Read(second)).Outcome));
        Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);
        Assert.Equal(1, await EventRows(EventId(capture)));
        Assert.Single(await AuditActions(paymentId), a => a == "payment.finalize");
    }

    [Fact]
    public async Task A_tampered_restamped_unsigned_or_stale_delivery_is_refused_with_400_and_captures_nothing()
    {
        var (paymentId, reference, _) = await NewPayment();
        var authorized = Assert.Single(Vipps.Authorize(reference));
        var text = Encoding.UTF8.GetString(authorized.Body);
        var tampered = authorized.WithBody(text.Replace("\"value\":1900", "\"value\":1", StringComparison.Ordinal));
        var rehashed = tampered.WithHeader("x-ms-content-sha256", MobilePayWebhookSignature.ContentHash(tampered.Body));
        var otherSecret = Vipps.Sign(Vipps.Webhook(), authorized.Body, secret: "not-the-registered-secret");
        Vipps.Clock = () => DateTimeOffset.UtcNow.AddMinutes(-10);
        var stale = Vipps.Sign(Vipps.Webhook(), authorized.Body);
        Vipps.Clock = () => DateTimeOffset.UtcNow;

        foreach (var delivery in new[] { tampered, rehashed, otherSecret, stale, authorized.WithHeader("Authorization", null) })
            Assert.Equal((HttpStatusCode.BadRequest, (string?)null, "signature_invalid"), await Read(await Deliver(delivery)));

        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status);
        Assert.Empty(Vipps.RequestsTo("POST", $"/epayment/v1/payments/{reference}/capture"));
        Assert.Equal(0, await EventRows(EventId(authorized)));
        Assert.Equal("applied", (await Read(await Deliver(authorized))).Outcome); // the genuine one still works
    }

    [Fact]
    public async Task A_refund_made_in_the_Vipps_portal_is_learned_from_its_webhook_with_the_cumulative_total()
    {
        var (paymentId, reference) = await PaidPayment("kroner");
        await Vipps.DeliverQueuedAsync(reference); // the capture's

        Vipps.RefundElsewhere(reference, 10000);
        Vipps.RefundElsewhere(reference, 5000);
        var delivered = await Vipps.DeliverQueuedAsync(reference);

        // The first refund's webhook already brings the total of both (the service reads the aggregate); the second changes nothing.
        Assert.Equal(new string?[] { "applied", "no_change" }, await Task.WhenAll(delivered.Select(async d => (await Read(d.Response)).Outcome)));
        var payment = await Load(paymentId);
        Assert.Equal((PaymentStatus.PartiallyRefunded, 15000L), (payment.Status, payment.RefundedMinor)); // both, from the aggregate
        await using var db = App.Db();
        var refunds = await db.Context.Refunds.AsNoTracking().Where(r => r.PaymentId == paymentId).ToListAsync();
        Assert.Equal(15000L, refunds.Sum(r => r.AmountMinor));
        Assert.All(refunds, r => Assert.Equal("provider:mobilepay", r.RequestedBy));
    }

    [Fact]
    public async Task A_refund_webhook_also_proves_a_capture_whose_webhooks_were_lost()
    {
        var (paymentId, reference, _) = await NewPayment();
        Vipps.Authorize(reference);
        await CaptureElsewhere(reference);
        Vipps.RefundElsewhere(reference, 400);
        var refund = Vipps.Event(reference, "REFUNDED"); // the capture's webhook is lost; only the refund's arrives

        Assert.Equal("applied", (await Read(await Deliver(refund))).Outcome);
        var payment = await Load(paymentId);
        Assert.Equal((PaymentStatus.PartiallyRefunded, 400L), (payment.Status, payment.RefundedMinor));
    }

    [Fact]
    public async Task Events_for_references_this_service_did_not_make_or_another_sales_unit_are_recorded_and_change_nothing()
    {
        var (paymentId, reference, _) = await NewPayment();
        var elsewhere = Forged("someone-elses-order-1", "CAPTURED", 1900);
        var otherUnit = Vipps.Sign(Vipps.Webhook(), Vipps.Body(reference, "EUR",
            new FakeVippsEvent("CAPTURED", FakeMobilePayState.NewPspReference(), 1900, null, true, DateTimeOffset.UtcNow), e => e["msn"] = "999999"));

        Assert.Equal((HttpStatusCode.OK, "unmatched", (string?)null), await Read(await Deliver(elsewhere)));
        Assert.Equal((HttpStatusCode.OK, "unmatched", (string?)null), await Read(await Deliver(otherUnit))); // our reference, but not our sales unit
        Assert.Equal(PaymentStatus.Pending, (await Load(paymentId)).Status);
    }

    [Fact]
    public async Task A_signed_event_that_is_not_an_ePayment_event_is_malformed_and_recorded_nowhere()
    {
        var noReference = Vipps.Sign(Vipps.Webhook(), Encoding.UTF8.GetBytes("""{"msn":"123456","name":"CAPTURED","pspReference":"1"}"""));
        var lowerCase = Vipps.Sign(Vipps.Webhook(), Encoding.UTF8.GetBytes(
            """{"msn":"123456","reference":"mp-abcdefghij","pspReference":"1","name":"CAPTURED","amount":{"currency":"eur","value":1900},"success":true}"""));

        Assert.Equal((HttpStatusCode.BadRequest, (string?)null, "malformed_event"), await Read(await Deliver(noReference)));
        Assert.Equal((HttpStatusCode.BadRequest, (string?)null, "malformed_event"), await Read(await Deliver(lowerCase)));
    }

    /// <summary>Someone captures in Vipps's portal: the fake's capture endpoint, called as the portal would (the webhook is queued).</summary>
    private async Task CaptureElsewhere(string reference)
    {
        var token = await TokenAsync();
        using var http = new HttpClient { BaseAddress = Vipps.BaseAddress };
        var request = new HttpRequestMessage(HttpMethod.Post, $"epayment/v1/payments/{reference}/capture")
        {
            Content = new StringContent(new JsonObject { ["modificationAmount"] = FakeMobilePayState.Amount("EUR", 1900) }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Authorization", $"Bearer {token}");
        request.Headers.Add("Ocp-Apim-Subscription-Key", Vipps.SubscriptionKey);
        request.Headers.Add("Merchant-Serial-Number", Vipps.Msn);
        request.Headers.Add("Idempotency-Key", "portal-capture-" + reference);
        (await http.SendAsync(request)).EnsureSuccessStatusCode();
    }

    private async Task<string> TokenAsync()
    {
        using var http = new HttpClient { BaseAddress = Vipps.BaseAddress };
        var request = new HttpRequestMessage(HttpMethod.Post, "accesstoken/get");
        request.Headers.Add("client_id", Vipps.ClientId);
        request.Headers.Add("client_secret", Vipps.ClientSecret);
        request.Headers.Add("Ocp-Apim-Subscription-Key", Vipps.SubscriptionKey);
        var body = await (await http.SendAsync(request)).Body();
        return body.Str("access_token");
    }
}

public sealed class MobilePayWebhookTests_Sqlite(MobilePaySqliteApp app) : MobilePayWebhookTests<MobilePaySqliteApp>(app);

public sealed class MobilePayWebhookTests_Postgres(MobilePayPostgresApp app) : MobilePayWebhookTests<MobilePayPostgresApp>(app);
