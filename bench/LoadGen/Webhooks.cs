using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Payments.Bench.LoadGen;

/// <summary>A payment the generator created through the API.</summary>
public sealed record CreatedPayment(string PaymentId, string ProviderPaymentId, long Amount, string Currency);

/// <summary>One event (unique id) and the body every delivery of it carries.</summary>
public sealed record BenchEvent(string EventId, CreatedPayment Payment, byte[] Body);

/// <summary>
/// Webhook bodies and signatures in each provider's real wire format, signed here independently of
/// the service's code: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "t.body")&gt;</c>.
/// </summary>
public sealed class WebhookFormat
{
    public const string DummySecret = "dummy_bench_webhook_secret";

    private WebhookFormat(string provider, string header, string secret, Func<string, CreatedPayment, byte[]> body)
    {
        Provider = provider;
        Header = header;
        Secret = Encoding.UTF8.GetBytes(secret);
        Body = body;
    }

    public string Provider { get; }
    public string Header { get; }
    public byte[] Secret { get; }
    public Func<string, CreatedPayment, byte[]> Body { get; }
    public string Path => $"api/v1/payment/webhook/{Provider}";

    /// <summary>The README's dummy format: <c>{"id","type","payment_id","amount","currency"}</c>.</summary>
    public static readonly WebhookFormat Dummy = new("dummy", "Dummy-Signature", DummySecret, (id, p) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["id"] = id, ["type"] = "payment.succeeded", ["payment_id"] = p.ProviderPaymentId, ["amount"] = p.Amount, ["currency"] = p.Currency,
        }));

    /// <summary>
    /// Stripe's <c>checkout.session.completed</c> envelope for a paid session, pretty-printed as Stripe
    /// sends it, with the fields a real one carries around what the service reads.
    /// </summary>
    public static readonly WebhookFormat Stripe = new("stripe", "Stripe-Signature", InstantStripe.WebhookSecret, (id, p) =>
    {
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var session = new Dictionary<string, object?>
        {
            ["id"] = p.ProviderPaymentId, ["object"] = "checkout.session", ["amount_subtotal"] = p.Amount, ["amount_total"] = p.Amount,
            ["cancel_url"] = "https://shop.example/payments/cancel", ["client_reference_id"] = p.PaymentId, ["created"] = created - 60,
            ["currency"] = p.Currency.ToLowerInvariant(), ["customer_details"] = new { email = "buyer@example.com", name = "Bench Buyer" },
            ["expires_at"] = created + 3600, ["livemode"] = false, ["metadata"] = new { payment_id = p.PaymentId, plan = "basic" },
            ["mode"] = "payment", ["payment_intent"] = "pi_" + p.ProviderPaymentId[^14..], ["payment_method_types"] = new[] { "card" },
            ["payment_status"] = "paid", ["status"] = "complete", ["success_url"] = "https://shop.example/payments/thanks",
        };
        var envelope = new Dictionary<string, object?>
        {
            ["id"] = id, ["object"] = "event", ["api_version"] = "2026-10-28.endive", ["created"] = created,
            ["data"] = new { @object = session }, ["livemode"] = false, ["pending_webhooks"] = 1,
            ["request"] = new { id = (string?)null, idempotency_key = (string?)null }, ["type"] = "checkout.session.completed",
        };
        return JsonSerializer.SerializeToUtf8Bytes(envelope, new JsonSerializerOptions { WriteIndented = true });
    });

    /// <summary>A signed delivery, stamped now (the service refuses signatures older than 300 s).</summary>
    public HttpRequestMessage Delivery(Uri server, byte[] body)
    {
        var t = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var prefix = Encoding.ASCII.GetBytes(t + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed, prefix.Length);
        var mac = Convert.ToHexStringLower(HMACSHA256.HashData(Secret, signed));
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, Path))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.TryAddWithoutValidation(Header, $"t={t},v1={mac}");
        return request;
    }
}
