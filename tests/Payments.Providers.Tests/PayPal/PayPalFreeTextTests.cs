using System.Net;
using System.Text;
using System.Text.Json;
using Payments.Core.Money;
using Payments.Core.Providers;
using Payments.Providers.PayPal;

namespace Payments.Providers.Tests.PayPal;

/// <summary>
/// PayPal refuses free text outside its limits (note_to_payer 1–255, description 1–127) with a 400, so a
/// refund whose reason our API accepts (up to 500 characters, or empty) must still reach PayPal in a form
/// it takes. Checked on the request body the provider actually sends.
/// </summary>
public class PayPalFreeTextTests
{
    private const string CaptureId = "3C679366HH908993F";

    [Theory]
    [InlineData(300, 255)]
    [InlineData(255, 255)]
    [InlineData(12, 12)]
    public async Task A_refund_reason_is_sent_as_a_note_to_payer_PayPal_accepts(int reasonLength, int sentLength)
    {
        var (provider, paypal) = Provider();
        var reason = new string('r', reasonLength);

        await provider.RefundAsync(Refund(reason), default);

        var note = paypal.LastRefundBody!.RootElement.GetProperty("note_to_payer").GetString();
        Assert.Equal(new string('r', sentLength), note);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task A_blank_refund_reason_sends_no_note_to_payer(string? reason)
    {
        var (provider, paypal) = Provider();

        await provider.RefundAsync(Refund(reason), default);

        Assert.False(paypal.LastRefundBody!.RootElement.TryGetProperty("note_to_payer", out _));
    }

    [Fact]
    public void Clipping_never_cuts_a_surrogate_pair_in_half()
    {
        var text = new string('a', 254) + "😀" + "b"; // the emoji is chars 255 and 256
        Assert.Equal(new string('a', 254), PayPalProvider.Clip(text, 255));
        Assert.Equal(new string('a', 254) + "😀", PayPalProvider.Clip(text, 256));
    }

    private static RefundRequest Refund(string? reason) =>
        new("pay_1", "5O190127TN364715T", CaptureId, Money.Of(500, "EUR"), "ref_1", reason);

    private static (PayPalProvider, StubPayPal) Provider()
    {
        var options = new PayPalOptions { ClientId = "id", ClientSecret = "secret", Enabled = true, MaxAttempts = 1 };
        var paypal = new StubPayPal();
        var client = new PayPalClient(new HttpClient(paypal) { BaseAddress = new Uri("https://paypal.test/") },
            new PayPalAccessTokens(TimeProvider.System), options);
        return (new PayPalProvider(options, client, null!, null!), paypal);
    }

    /// <summary>Answers the token and refund calls as PayPal does, and keeps the refund request body.</summary>
    private sealed class StubPayPal : HttpMessageHandler
    {
        public JsonDocument? LastRefundBody { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            if (path == "/v1/oauth2/token")
                return Json(HttpStatusCode.OK, """{"access_token":"A21AAtoken","token_type":"Bearer","expires_in":32400}""");
            if (path == $"/v2/payments/captures/{CaptureId}/refund")
            {
                LastRefundBody = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
                return Json(HttpStatusCode.Created, """{"id":"1JU08902781691411","status":"COMPLETED"}""");
            }
            return Json(HttpStatusCode.NotFound, """{"name":"RESOURCE_NOT_FOUND"}""");
        }

        private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
            new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }
}
