using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Payments.Core.Payments;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Omise;

/// <summary>
/// Omise end to end, with OMISE_WEBHOOK_SECRET (signed deliveries) and without it (every delivery only
/// re-fetched), on each database: create-intent → Omise's hosted page → webhook → succeeded → partial
/// refund → partially_refunded, duplicates, and money that is not ours.
/// </summary>
public abstract class OmiseFlowTests<TApp>(TApp fixture) : OmiseTestsBase<TApp>(fixture) where TApp : AppFixture, IOmiseApp
{
    [Fact]
    public async Task Create_intent_opens_a_charge_for_exactly_the_plan_price_and_sends_the_buyer_to_its_authorize_uri()
    {
        var (paymentId, chargeId, redirect) = await NewOmisePayment();

        Assert.StartsWith("chrg_test_", chargeId);
        Assert.Equal(new Uri(Omise.BaseAddress, $"pay/{chargeId}"), redirect);
        var sent = Assert.Single(Omise.RequestsTo("POST", "/charges"), r => (string?)r.Json!["metadata"]!["payment_id"] == paymentId);
        Assert.Equal((190000L, "thb", "promptpay", "Baht plan", $"{paymentId}-checkout", 200),
            ((long)sent.Json!["amount"]!, (string?)sent.Json["currency"], (string?)sent.Json["source"]!["type"], (string?)sent.Json["description"],
                sent.Header("Idempotency-Key"), sent.Status));
        Assert.EndsWith($"/payments/thanks?payment_id={paymentId}", (string?)sent.Json["return_uri"]);
        var row = await Load(paymentId);
        Assert.Equal(("omise", chargeId, PaymentStatus.Pending), (row.Provider, row.ProviderPaymentId, row.Status));
    }

    [Fact]
    public async Task Paid_on_the_hosted_page_the_webhook_settles_it_and_a_partial_refund_makes_it_partially_refunded()
    {
        var (paymentId, chargeId, page) = await NewOmisePayment();

        var webhook = await PayOnHostedPage(page);

        Assert.Equal((HttpStatusCode.OK, "applied", (string?)null), Read(webhook));
        Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);
        var eventRow = await EventRow(ExpectedEventId(webhook.Delivery, chargeId, "successful"));
        Assert.Equal(Signed ? "hmac-sha256" : "refetch", eventRow.Verification);
        Assert.NotEmpty(Omise.RequestsTo("GET", $"/charges/{chargeId}")); // re-fetched, signed or not

        using var admin = App.Client().As(Credentials.AdminKey);
        var refund = await admin.PostJson("/api/v1/payment/refund", new { payment_id = paymentId, amount = 50000, reason = "Customer asked" });
        Assert.Equal(HttpStatusCode.OK, refund.StatusCode);
        var refunded = await refund.Body();
        Assert.Equal(("succeeded", "partially_refunded", 50000L), (refunded.Str("status"), refunded.Str("payment_status"), refunded.GetProperty("refunded").GetInt64()));
        var sent = Assert.Single(Omise.RequestsTo("POST", $"/charges/{chargeId}/refunds"));
        Assert.Equal((50000L, refunded.Str("refund_id"), refunded.Str("refund_id")),
            ((long)sent.Json!["amount"]!, sent.Header("Idempotency-Key"), (string?)sent.Json["metadata"]!["refund_id"]));

        // Omise's refund.create arrives after our own answer recorded the refund: nothing more moves.
        var refundEvent = await Omise.DeliverAsync(Omise.RefundEvent(Omise.RefundOf(chargeId)));
        Assert.Equal((HttpStatusCode.OK, "no_change", (string?)null), await Read(refundEvent));
        var payment = await Load(paymentId);
        Assert.Equal((PaymentStatus.PartiallyRefunded, 50000L), (payment.Status, payment.RefundedMinor));
    }

    [Fact]
    public async Task A_refund_made_in_Omises_dashboard_arrives_by_webhook_and_makes_the_payment_partially_refunded()
    {
        var (paymentId, chargeId, _) = await PaidPayment();
        var refund = Omise.RefundElsewhere(chargeId, 30000);

        var delivery = Omise.RefundEvent(refund);
        var response = await Omise.DeliverAsync(delivery);

        Assert.Equal((HttpStatusCode.OK, "applied", (string?)null), await Read(response));
        var payment = await Load(paymentId);
        Assert.Equal((PaymentStatus.PartiallyRefunded, 30000L), (payment.Status, payment.RefundedMinor));
        Assert.Equal(1, await EventRows(ExpectedEventId(delivery, chargeId, "successful", 30000)));
        await using var db = App.Db();
        Assert.Equal("provider:omise", (await db.Context.Refunds.SingleAsync(r => r.PaymentId == paymentId)).RequestedBy);
    }

    [Fact]
    public async Task The_same_event_delivered_twice_is_applied_once()
    {
        var (paymentId, chargeId, webhook) = await PaidPayment();

        var again = await Omise.DeliverAsync(webhook.Delivery);

        Assert.Equal((HttpStatusCode.OK, "duplicate", (string?)null), await Read(again));
        Assert.Equal(1, await EventRows(ExpectedEventId(webhook.Delivery, chargeId, "successful")));
        Assert.Single(await AuditActions(paymentId), a => a == "payment.finalize");
    }

    [Fact]
    public async Task A_charge_for_another_amount_that_names_our_payment_ends_conflicted_with_409()
    {
        var (paymentId, _, _) = await NewOmisePayment();
        // Made on the same account some other way, for 1.00 THB, carrying our payment id.
        var other = Omise.Add(100, "thb", "promptpay", new JsonObject { ["payment_id"] = paymentId });
        Omise.Complete(other.Id);

        var response = await Omise.DeliverAsync(Omise.ChargeEvent("charge.complete", other.Id));

        Assert.Equal((HttpStatusCode.Conflict, (string?)null, "amount_mismatch"), await Read(response));
        Assert.Equal(PaymentStatus.Conflicted, (await Load(paymentId)).Status);
    }

    [Fact]
    public async Task A_failed_payment_on_the_hosted_page_fails_the_payment_with_Omises_reason()
    {
        var (paymentId, _, page) = await NewOmisePayment();

        var webhook = await PayOnHostedPage(page, "failed");

        Assert.Equal((HttpStatusCode.OK, "applied"), (Read(webhook).Status, Read(webhook).Outcome));
        var payment = await Load(paymentId);
        Assert.Equal(PaymentStatus.Failed, payment.Status);
        Assert.Contains("payment was not completed", payment.FailureReason);
    }

    [Fact]
    public async Task Verify_asks_Omise_so_a_lost_webhook_is_healed()
    {
        var (paymentId, chargeId, _) = await NewOmisePayment();
        Omise.Complete(chargeId); // paid, but no webhook reaches us

        using var http = App.Client();
        var verify = await http.PostJson("/api/v1/payment/verify", new { payment_id = paymentId });

        Assert.Equal("succeeded", (await verify.Body()).Str("status"));
    }

    [Fact]
    public async Task The_storefront_offers_PromptPay_through_Omise()
    {
        using var http = App.Client();
        var page = await (await http.GetAsync("/")).Content.ReadAsStringAsync();
        Assert.Contains("value=\"omise\"><label for=\"provider-omise\">PromptPay (Omise)</label>", page);
    }

    [Fact]
    public async Task Every_call_to_Omise_carries_the_secret_key_and_the_pinned_API_version()
    {
        await PaidPayment();
        var api = Omise.Requests.Where(r => !r.Path.StartsWith("/pay/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(api);
        Assert.All(api, r => Assert.Equal((200, "2019-05-29"), (r.Status, r.Header("Omise-Version"))));
    }
}

public sealed class OmiseFlowTests_Signed_Sqlite(OmiseSqliteApp_Signed app) : OmiseFlowTests<OmiseSqliteApp_Signed>(app);
public sealed class OmiseFlowTests_Signed_Postgres(OmisePostgresApp_Signed app) : OmiseFlowTests<OmisePostgresApp_Signed>(app);
public sealed class OmiseFlowTests_Refetch_Sqlite(OmiseSqliteApp_Refetch app) : OmiseFlowTests<OmiseSqliteApp_Refetch>(app);
public sealed class OmiseFlowTests_Refetch_Postgres(OmisePostgresApp_Refetch app) : OmiseFlowTests<OmisePostgresApp_Refetch>(app);
