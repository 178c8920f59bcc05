using System.Net;
using System.Text;
using Payments.Core.Money;
using Payments.Core.Providers;
using Payments.Providers.PayPal;

namespace Payments.Providers.Tests.PayPal;

/// <summary>
/// A refund that meets 5xx is retried with the same PayPal-Request-Id (PayPal answers a repeated id with the
/// first outcome, so it refunds once); when the 5xx persist the outcome is unknown, not a failure.
/// </summary>
public class PayPalRetryTests
{
    private const string CaptureId = "3C679366HH908993F";

    [Fact]
    public async Task A_refund_meeting_5xx_is_retried_with_the_same_request_id_and_then_succeeds()
    {
        var paypal = new ScriptedPayPal(HttpStatusCode.InternalServerError, HttpStatusCode.ServiceUnavailable, HttpStatusCode.Created);

        var result = await Provider(paypal).RefundAsync(Refund(), default);

        Assert.Equal((RefundStatus.Succeeded, "1JU08902781691411"), (result.Status, result.ProviderRefundId));
        Assert.Equal(["ref_1-key", "ref_1-key", "ref_1-key"], paypal.RefundRequestIds);
    }

    [Fact]
    public async Task A_refund_meeting_5xx_on_every_attempt_is_unavailable_not_failed()
    {
        var paypal = new ScriptedPayPal(HttpStatusCode.BadGateway, HttpStatusCode.BadGateway, HttpStatusCode.BadGateway);

        var error = await Assert.ThrowsAsync<ProviderUnavailableException>(() => Provider(paypal).RefundAsync(Refund(), default));

        Assert.Equal(3, paypal.RefundRequestIds.Count);
        Assert.Contains("after 3 attempts", error.Message);
    }

    private static RefundRequest Refund() => new("pay_1", "5O190127TN364715T", CaptureId, Money.Of(500, "EUR"), "ref_1-key", "Customer asked");

    private static PayPalProvider Provider(ScriptedPayPal paypal)
    {
        var options = new PayPalOptions { ClientId = "id", ClientSecret = "secret", Enabled = true, RetryDelay = TimeSpan.FromMilliseconds(1) };
        var client = new PayPalClient(new HttpClient(paypal) { BaseAddress = new Uri("https://paypal.test/") },
            new PayPalAccessTokens(TimeProvider.System), options);
        return new PayPalProvider(options, client, null!, null!);
    }

    /// <summary>Issues tokens; answers refund calls with the scripted statuses in turn and records their PayPal-Request-Id.</summary>
    private sealed class ScriptedPayPal(params HttpStatusCode[] refundAnswers) : HttpMessageHandler
    {
        private readonly Queue<HttpStatusCode> _answers = new(refundAnswers);
        public List<string?> RefundRequestIds { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath == "/v1/oauth2/token")
                return Json(HttpStatusCode.OK, """{"access_token":"A21AAtoken","token_type":"Bearer","expires_in":32400}""");
            RefundRequestIds.Add(request.Headers.TryGetValues("PayPal-Request-Id", out var ids) ? ids.Single() : null);
            var status = _answers.Dequeue();
            return status == HttpStatusCode.Created
                ? Json(status, """{"id":"1JU08902781691411","status":"COMPLETED"}""")
                : Json(status, """{"name":"INTERNAL_SERVER_ERROR","message":"An internal server error has occurred.","debug_id":"90957fca61718"}""");
        }

        private static Task<HttpResponseMessage> Json(HttpStatusCode status, string body) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
