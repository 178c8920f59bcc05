using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Payments.Core.Payments;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.PayPal;

/// <summary>
/// PayPal's verify API is unreachable: deliveries are checked against the certificate their
/// PAYPAL-CERT-URL names. The service's clock stands in 2020 so PayPal's real 2019 delivery (whose
/// certificate expired in 2021) can be checked end to end; expiry itself is tested at the unit level.
/// </summary>
public abstract class PayPalOfflineVerificationTests<TApp>(TApp fixture) : PayPalTestsBase<TApp>(fixture) where TApp : AppFixture, IPayPalApp
{
    private async Task<HttpResponseMessage> DeliverVector(string body)
    {
        using var http = App.Client();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payment/webhook/paypal")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        foreach (var (name, value) in PayPalVector.Headers) request.Headers.TryAddWithoutValidation(name, value);
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task With_the_verify_API_down_the_certificate_proves_an_approval_and_it_is_captured()
    {
        var (paymentId, orderId) = await NewPayPalPayment();
        PayPal.Approve(orderId);
        var approval = PayPal.OrderApproved(orderId);
        var verifyCalls = PayPal.VerifyCalls;

        var response = await PayPal.DeliverAsync(approval);

        Assert.Equal((HttpStatusCode.OK, "applied", (string?)null), await Read(response));
        Assert.Equal(PaymentStatus.Succeeded, (await Load(paymentId)).Status);
        Assert.Equal("paypal-cert", (await EventRow(approval.EventId)).Verification);
        Assert.Equal(verifyCalls + 3, PayPal.VerifyCalls); // the API was asked first, and retried on 503
    }

    [Fact]
    public async Task PayPals_real_delivery_is_verified_offline_and_recorded()
    {
        var response = await DeliverVector(PayPalVector.Body);

        // A v1 payment from PayPal's SDK test: genuine, but not one of ours.
        Assert.Equal((HttpStatusCode.OK, "unmatched", (string?)null), await Read(response));
        var row = await EventRow("WH-7MU294299R542214K-4N1831857K851783H");
        Assert.Equal(("PAYMENTS.PAYMENT.CREATED", "paypal-cert"), (row.EventType, row.Verification));
        Assert.Equal(PayPalVector.Body, row.RawBody);
    }

    [Fact]
    public async Task PayPals_real_delivery_with_one_byte_changed_is_refused()
    {
        var response = await DeliverVector(PayPalVector.Body.Replace("30.11", "30.12", StringComparison.Ordinal));
        Assert.Equal((HttpStatusCode.BadRequest, (string?)null, "signature_invalid"), await Read(response));
        Assert.Contains("does not match", (await response.Body()).Str("detail"));
    }

    [Fact]
    public async Task A_delivery_signed_for_another_webhook_id_is_refused()
    {
        var (_, orderId) = await NewPayPalPayment();
        PayPal.Approve(orderId);
        var response = await PayPal.DeliverAsync(PayPal.Sign(PayPal.OrderApproved(orderId).Body, webhookId: "NotToBeFound"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(PayPal.RequestsTo("POST", $"/v2/checkout/orders/{orderId}/capture"));
    }
}

public sealed class PayPalOfflineVerificationTests_Sqlite(PayPalSqliteApp_Offline app) : PayPalOfflineVerificationTests<PayPalSqliteApp_Offline>(app);

public sealed class PayPalOfflineVerificationTests_Postgres(PayPalPostgresApp_Offline app) : PayPalOfflineVerificationTests<PayPalPostgresApp_Offline>(app);
