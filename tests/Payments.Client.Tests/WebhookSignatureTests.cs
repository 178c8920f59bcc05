using System.Text;
using System.Text.Json;
using Payments.Providers.Common;
using Payments.Tests.TestData;
using ServerSignature = Payments.Server.Features.Outbox.WebhookSignature;

namespace Payments.Client.Tests;

/// <summary>
/// <see cref="WebhookSignature"/> says what the service's own verifier says: on Stripe's vectors (the same
/// scheme), on what the service's signer writes (also during a rotation), and on random inputs.
/// </summary>
public sealed class WebhookSignatureTests
{
    public static TheoryData<string, string, string, string, long, int, bool> StripeVectors()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestVectors.StripeWebhooksPath));
        var data = new TheoryData<string, string, string, string, long, int, bool>();
        foreach (var v in doc.RootElement.GetProperty("vectors").EnumerateArray())
            data.Add(v.GetProperty("name").GetString()!, v.GetProperty("secret").GetString()!, v.GetProperty("payload").GetString()!,
                v.GetProperty("header").GetString()!, v.GetProperty("now").GetInt64(), v.GetProperty("tolerance").GetInt32(), v.GetProperty("valid").GetBoolean());
        return data;
    }

    [Theory]
    [MemberData(nameof(StripeVectors))]
    public void Agrees_with_Stripes_vectors(string name, string secret, string payload, string header, long now, int tolerance, bool valid)
    {
        var ok = WebhookSignature.Verify(payload, header, secret, DateTimeOffset.FromUnixTimeSeconds(now), TimeSpan.FromSeconds(tolerance));
        Assert.True(valid == ok, $"{name}: Stripe says {valid}, the client says {ok}");
    }

    [Fact]
    public void Accepts_what_the_services_signer_writes_with_either_secret_during_a_rotation()
    {
        var now = DateTimeOffset.UtcNow;
        var body = Encoding.UTF8.GetBytes("{\"id\":\"evt_1\",\"type\":\"payment.succeeded\",\"created\":1,\"data\":{\"object\":{}}}");
        var endpoint = new Payments.Server.Data.Entities.WebhookEndpoint
        {
            Id = "we_1", Url = "https://h.example/", Events = "[\"*\"]", Secret = "whsec_new", PreviousSecret = "whsec_old",
            PreviousSecretExpiresAt = now.AddHours(1),
        };
        var header = ServerSignature.Sign(endpoint, body, now);

        Assert.True(WebhookSignature.Verify(body, header, "whsec_new", now));
        Assert.True(WebhookSignature.Verify(body, header, "whsec_old", now));
        Assert.False(WebhookSignature.Verify(body, header, "whsec_other", now));
        Assert.Equal(header.Split(',')[..2], WebhookSignature.HeaderValue("whsec_new", now, body).Split(','));
    }

    [Fact]
    public void Refuses_a_stale_or_future_timestamp_beyond_the_tolerance_and_accepts_the_boundary()
    {
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(1_765_100_000);
        var body = "{\"id\":\"evt_1\"}"u8.ToArray();
        var header = WebhookSignature.HeaderValue("whsec_t", signedAt, body);

        Assert.True(WebhookSignature.Verify(body, header, "whsec_t", signedAt.AddSeconds(300)));
        Assert.True(WebhookSignature.Verify(body, header, "whsec_t", signedAt.AddSeconds(-300)));
        Assert.False(WebhookSignature.Verify(body, header, "whsec_t", signedAt.AddSeconds(301)));
        Assert.False(WebhookSignature.Verify(body, header, "whsec_t", signedAt.AddSeconds(-301))); // signed "in the future"
        Assert.True(WebhookSignature.Verify(body, header, "whsec_t", signedAt.AddSeconds(900), TimeSpan.FromMinutes(15)));
        Assert.Throws<ArgumentOutOfRangeException>(() => WebhookSignature.Verify(body, header, "whsec_t", signedAt, TimeSpan.Zero));
        Assert.False(WebhookSignature.Verify(body, null, "whsec_t", signedAt));
    }

    [Fact]
    public void Agrees_with_the_services_verifier_on_random_headers_bodies_and_clocks()
    {
        var random = new Random(20251207);
        var tolerance = TimeSpan.FromMinutes(5);
        for (var i = 0; i < 500; i++)
        {
            var body = new byte[random.Next(0, 64)];
            random.NextBytes(body);
            var secret = "whsec_" + random.Next(3);
            var signedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + random.Next(1000));
            var now = signedAt.AddSeconds(random.Next(-400, 400));
            var header = Mutate(TimestampedHmacSignature.Header("whsec_" + random.Next(3), signedAt.ToUnixTimeSeconds(), body), random);

            var server = TimestampedHmacSignature.Verify(header, body, secret, now, tolerance).IsValid;
            Assert.True(server == WebhookSignature.Verify(body, header, secret, now, tolerance), $"header '{header}' at {now.ToUnixTimeSeconds()}: server says {server}");
        }
    }

    /// <summary>Sometimes breaks the header: a flipped hex digit, a dropped part, spaces, a v0, an upper-case signature.</summary>
    private static string Mutate(string header, Random random) => random.Next(7) switch
    {
        0 => header.Replace("v1=", "v0="),
        1 => header.ToUpperInvariant(),
        2 => header[..^1] + (header[^1] == '0' ? '1' : '0'),
        3 => header.Split(',')[1],
        4 => header.Replace(",", " , "),
        5 => header + ",v1=" + new string('a', 64),
        _ => header,
    };

    [Fact]
    public void A_delivery_parses_into_its_typed_object_and_a_non_event_is_refused()
    {
        var body = """
            {"id":"evt_9","type":"credits.granted","created":1765100000,
             "data":{"object":{"user_id":"42","credits":1000,"reason":"purchase","payment_id":"pay_1"}}}
            """;
        var parsed = WebhookEvent.ParseVerified(Encoding.UTF8.GetBytes(body),
            WebhookSignature.HeaderValue("whsec_p", DateTimeOffset.UtcNow, Encoding.UTF8.GetBytes(body)), "whsec_p", DateTimeOffset.UtcNow);
        Assert.Equal(("evt_9", WebhookEventTypes.CreditsGranted, 1765100000L), (parsed.Id, parsed.Type, parsed.Created.ToUnixTimeSeconds()));
        var credits = parsed.AsCredits();
        Assert.Equal(("42", 1000L, "purchase", "pay_1"), (credits.UserId, credits.Credits, credits.Reason, credits.PaymentId));
        Assert.Throws<InvalidOperationException>(() => parsed.AsPayment());

        Assert.Throws<WebhookSignatureException>(() => WebhookEvent.ParseVerified(Encoding.UTF8.GetBytes(body), "t=1,v1=00", "whsec_p", DateTimeOffset.UtcNow));
        Assert.ThrowsAny<JsonException>(() => WebhookEvent.Parse("{\"id\":\"evt_1\",\"type\":\"x\"}"));
        Assert.ThrowsAny<JsonException>(() => WebhookEvent.Parse("not json"));
    }
}
