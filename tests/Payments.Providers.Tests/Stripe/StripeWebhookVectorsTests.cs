using System.Text;
using System.Text.Json;
using Payments.Providers.Stripe;
using Payments.Providers.Tests.Support;
using Payments.Tests.TestData;

namespace Payments.Providers.Tests.Stripe;

/// <summary>
/// The Stripe webhook verifier against every vector Stripe's official Node library produced
/// (tests/TestData/stripe-webhook-vectors.json, or the file named by STRIPE_VECTORS_FILE), and
/// against Stripe.net's own <c>EventUtility</c> on the same vectors: we keep our verifier on the hot
/// path (the SDK's costs ~10x per event), so it must say exactly what the SDK says.
/// </summary>
public class StripeWebhookVectorsTests
{
    public sealed record Vector(string Name, string Secret, string Payload, string Header, long Now, int Tolerance, bool Valid, string Why)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Vector> Vectors()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestVectors.StripeWebhooksPath));
        var data = new TheoryData<Vector>();
        foreach (var v in doc.RootElement.GetProperty("vectors").EnumerateArray())
            data.Add(new Vector(v.GetProperty("name").GetString()!, v.GetProperty("secret").GetString()!,
                v.GetProperty("payload").GetString()!, v.GetProperty("header").GetString()!, v.GetProperty("now").GetInt64(),
                v.GetProperty("tolerance").GetInt32(), v.GetProperty("valid").GetBoolean(), v.GetProperty("why").GetString()!));
        return data;
    }

    [Fact]
    public void The_vector_file_is_not_empty() => Assert.True(Vectors().Count >= 50);

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Agrees_with_Stripes_own_library(Vector vector)
    {
        var check = StripeWebhookVerifier.Verify(vector.Header, Encoding.UTF8.GetBytes(vector.Payload), vector.Secret,
            DateTimeOffset.FromUnixTimeSeconds(vector.Now), TimeSpan.FromSeconds(vector.Tolerance));
        Assert.True(vector.Valid == check.IsValid, $"{vector.Name}: Stripe says '{vector.Why}', we say '{check.Failure ?? "ok"}'");
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Agrees_with_Stripe_net_ValidateSignature(Vector vector)
    {
        var ours = Ours(vector);
        var sdk = Sdk(() => global::Stripe.EventUtility.ValidateSignature(vector.Payload, vector.Header, vector.Secret, vector.Tolerance, vector.Now));
        Assert.True(ours.IsValid == (sdk is null), $"{vector.Name}: Stripe.net says '{sdk ?? "ok"}', we say '{ours.Failure ?? "ok"}'");
        Assert.Equal(vector.Valid, ours.IsValid);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Agrees_with_Stripe_net_ConstructEvent(Vector vector)
    {
        global::Stripe.Event? constructed = null;
        // The vectors' events carry no api_version (and later ones may carry another): only the signature is compared here.
        var sdk = Sdk(() => constructed = global::Stripe.EventUtility.ConstructEvent(vector.Payload, vector.Header, vector.Secret,
            vector.Tolerance, vector.Now, throwOnApiVersionMismatch: false));
        var ours = Ours(vector);
        Assert.True(ours.IsValid == (sdk is null), $"{vector.Name}: Stripe.net says '{sdk ?? "ok"}', we say '{ours.Failure ?? "ok"}'");
        if (!ours.IsValid) return;
        // What both accept, both read as the same event.
        var parsed = StripeEvents.Parse(Encoding.UTF8.GetBytes(vector.Payload), out var why);
        Assert.True(parsed is not null, why);
        Assert.Equal((constructed!.Id, constructed.Type), (parsed.EventId, parsed.EventType));
    }

    private static Payments.Providers.Common.SignatureCheck Ours(Vector vector) =>
        StripeWebhookVerifier.Verify(vector.Header, Encoding.UTF8.GetBytes(vector.Payload), vector.Secret,
            DateTimeOffset.FromUnixTimeSeconds(vector.Now), TimeSpan.FromSeconds(vector.Tolerance));

    /// <summary>Null when the SDK accepts, else why it refused (it refuses by throwing <see cref="global::Stripe.StripeException"/>).</summary>
    private static string? Sdk(Action call)
    {
        try
        {
            call();
            return null;
        }
        catch (global::Stripe.StripeException e)
        {
            return e.Message;
        }
    }
}
