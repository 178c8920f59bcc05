using Payments.Providers.Common;

namespace Payments.Providers.Stripe;

/// <summary>
/// Stripe's webhook signature scheme, exactly as its official libraries check it:
/// <c>Stripe-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;[,v1=…][,v0=…]</c>, where each <c>v1</c> is
/// HMAC-SHA256(endpoint secret, "<c>{t}.{raw body}</c>"). Any <c>v1</c> may match (while a secret is
/// being rolled Stripe signs with both), <c>v0</c> and unknown schemes are ignored, comparison is
/// constant-time, and a timestamp older than the tolerance (300 s), or further in the future than it,
/// is refused against the injected clock (Stripe's libraries check only the past; see
/// <see cref="TimestampedHmacSignature"/>). Agrees with all vectors in <c>tests/TestData/stripe-webhook-vectors.json</c>.
/// </summary>
public static class StripeWebhookVerifier
{
    public const string SignatureHeader = "Stripe-Signature";
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromSeconds(300);

    /// <param name="payload">The raw request body, byte for byte: re-serialised JSON would not verify.</param>
    public static SignatureCheck Verify(string? header, ReadOnlySpan<byte> payload, string secret, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return TimestampedHmacSignature.Verify(header, payload, secret, now, tolerance ?? DefaultTolerance);
    }
}
