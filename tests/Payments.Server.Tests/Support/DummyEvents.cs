using System.Text;
using System.Text.Json;
using Payments.Providers.Common;
using Payments.Providers.Dummy;

namespace Payments.Server.Tests.Support;

/// <summary>Builds dummy-provider deliveries exactly as the documented wire format says, signed or not.</summary>
public static class DummyEvents
{
    public static byte[] Body(string eventId, string type, string dmId, long amount, string currency) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { id = eventId, type, payment_id = dmId, amount, currency }));

    public static string Sign(byte[] body, string secret = DummyOptions.DevelopmentSecret, DateTimeOffset? at = null) =>
        TimestampedHmacSignature.Header(secret, (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(), body);

    public static HttpRequestMessage Delivery(byte[] body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payment/webhook/dummy")
        {
            Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } },
        };
        if (signature is not null) request.Headers.TryAddWithoutValidation("Dummy-Signature", signature);
        return request;
    }

    public static Task<HttpResponseMessage> Deliver(this HttpClient client, byte[] body, string? signature) =>
        client.SendAsync(Delivery(body, signature));
}
