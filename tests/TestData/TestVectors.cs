namespace Payments.Tests.TestData;

/// <summary>
/// The test vectors in <c>tests/TestData/</c> (the project's outside oracles), copied next to the test
/// binaries by the test project (<c>TestData/</c> in the output folder). An environment variable may
/// name another file, e.g. newer vectors: <c>STRIPE_VECTORS_FILE</c>, <c>PAYPAL_VECTOR_FILE</c>.
/// </summary>
public static class TestVectors
{
    public const string StripeWebhooks = "stripe-webhook-vectors.json";
    public const string StripeWebhooksVariable = "STRIPE_VECTORS_FILE";
    public const string PayPalWebhook = "paypal-webhook-vector.json";
    public const string PayPalWebhookVariable = "PAYPAL_VECTOR_FILE";
    public const string OmiseWebhooks = "omise-webhook-vectors.json";
    public const string OmiseWebhooksVariable = "OMISE_VECTORS_FILE";

    public static string StripeWebhooksPath => PathOf(StripeWebhooks, StripeWebhooksVariable);
    public static string PayPalWebhookPath => PathOf(PayPalWebhook, PayPalWebhookVariable);
    public static string OmiseWebhooksPath => PathOf(OmiseWebhooks, OmiseWebhooksVariable);

    /// <summary>The file the variable names when it is set (it must exist), else the copy beside the tests.</summary>
    public static string PathOf(string fileName, string overrideVariable)
    {
        if (Environment.GetEnvironmentVariable(overrideVariable) is { Length: > 0 } overridden)
            return File.Exists(overridden)
                ? Path.GetFullPath(overridden)
                : throw new FileNotFoundException($"{overrideVariable} names {overridden}, which does not exist.", overridden);
        var copied = Path.Combine(AppContext.BaseDirectory, "TestData", fileName);
        return File.Exists(copied)
            ? copied
            : throw new FileNotFoundException(
                $"Test vector {fileName} is not in {Path.GetDirectoryName(copied)}: the test project copies tests/TestData/{fileName} " +
                $"there when it builds (or set {overrideVariable}).", copied);
    }
}
