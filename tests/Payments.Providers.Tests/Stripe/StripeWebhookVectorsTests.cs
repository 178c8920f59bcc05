using System.Text;
using System.Text.Json;
using Payments.Providers.Stripe;
using Payments.Providers.Tests.Support;

namespace Payments.Providers.Tests.Stripe;

/// <summary>
/// The Stripe webhook verifier against every vector Stripe's official Node library produced
/// (../shared/testdata/stripe-webhook-vectors.json, or the file named by STRIPE_VECTORS_FILE).
/// </summary>
public class StripeWebhookVectorsTests
{
    public sealed record Vector(string Name, string Secret, string Payload, string Header, long Now, int Tolerance, bool Valid, string Why)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Vector> Vectors()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestData.PathOf("stripe-webhook-vectors.json", "STRIPE_VECTORS_FILE")));
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
}
