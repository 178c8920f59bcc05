using Microsoft.Extensions.Configuration;
using Payments.Providers.Common;

namespace Payments.Providers.Stripe;

/// <summary>Settings of the Stripe adapter, read by the environment-variable names of seeds 000 and 003.</summary>
public sealed record StripeOptions
{
    public const string SecretKeyVariable = "STRIPE_SECRET_KEY";
    public const string PublishableKeyVariable = "STRIPE_PUBLISHABLE_KEY";
    public const string WebhookSecretVariable = "STRIPE_WEBHOOK_SECRET";
    public const string ConnectWebhookSecretVariable = "STRIPE_CONNECT_WEBHOOK_SECRET";
    public const string ApiBaseVariable = "STRIPE_API_BASE";
    public static readonly Uri DefaultApiBase = new("https://api.stripe.com/");

    /// <summary>
    /// The API version every request carries (<c>Stripe-Version</c>), so the account's default version in
    /// the Dashboard never changes the shapes we read. It is not ours to choose: Stripe.net pins one
    /// version per release and sends it on every call (53.1.0 → <c>2026-10-28.endive</c>; a test checks
    /// the two agree, so an SDK upgrade is a deliberate API upgrade). The Dashboard's webhook endpoint
    /// must use this version too, so events arrive in the shapes <see cref="StripeEvents"/> reads.
    /// </summary>
    public const string ApiVersion = "2026-10-28.endive";

    /// <summary>On when <c>STRIPE_SECRET_KEY</c> is set or <c>PAYMENT_PROVIDER=stripe</c>.</summary>
    public bool Enabled { get; init; }

    /// <summary><c>STRIPE_SECRET_KEY</c>: <c>sk_…</c> or a restricted <c>rk_…</c> key.</summary>
    public string? SecretKey { get; init; }

    /// <summary><c>STRIPE_PUBLISHABLE_KEY</c>: for the caller's front end (embedded card form); the server never uses it.</summary>
    public string? PublishableKey { get; init; }

    /// <summary><c>STRIPE_WEBHOOK_SECRET</c>: the endpoint's signing secret (<c>whsec_…</c>).</summary>
    public string? WebhookSecret { get; init; }

    /// <summary>
    /// <c>STRIPE_CONNECT_WEBHOOK_SECRET</c>: the signing secret of the Connect webhook endpoint (events of connected
    /// accounts, e.g. <c>account.updated</c>). Optional: only the marketplace needs it, and setting up a vendor's Stripe
    /// account is refused without it (its onboarding could never be heard of).
    /// </summary>
    public string? ConnectWebhookSecret { get; init; }

    /// <summary><c>STRIPE_API_BASE</c>: where the API is; tests point it at a fake on loopback.</summary>
    public Uri ApiBase { get; init; } = DefaultApiBase;

    /// <summary>How old a signed webhook timestamp may be; Stripe's libraries use 300 s.</summary>
    public TimeSpan WebhookTolerance { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Retries after the first attempt (network errors, timeouts, 409, 5xx, or as <c>Stripe-Should-Retry</c>
    /// says); Stripe.net's default is 2. The SDK waits 0.5 s, doubling up to 5 s, with 75–100 % jitter.
    /// </summary>
    public int MaxNetworkRetries { get; init; } = 2;

    /// <summary>
    /// One attempt's limit (the <c>HttpClient</c>'s timeout, which Stripe.net applies per attempt and
    /// retries when it passes). Creates carry an idempotency key, so a timed-out attempt is safe to repeat.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Variables an enabled Stripe adapter cannot work without.</summary>
    public IReadOnlyList<string> MissingSettings { get; init; } = [];

    /// <summary>True when <see cref="SecretKey"/> is a live-mode key (<c>sk_live_…</c> or <c>rk_live_…</c>).</summary>
    public bool Live => SecretKey is { } key && IsLive(key);

    public static StripeOptions From(IConfiguration configuration)
    {
        var secretKey = configuration.Value(SecretKeyVariable);
        var enabled = configuration.ProviderEnabled(StripeProvider.ProviderName, SecretKeyVariable);
        var options = new StripeOptions
        {
            Enabled = enabled,
            SecretKey = secretKey,
            PublishableKey = configuration.Value(PublishableKeyVariable),
            WebhookSecret = configuration.Value(WebhookSecretVariable),
            ConnectWebhookSecret = configuration.Value(ConnectWebhookSecretVariable),
            ApiBase = configuration.ApiBaseUrl(ApiBaseVariable) ?? DefaultApiBase,
            MissingSettings = enabled ? configuration.Missing(SecretKeyVariable, WebhookSecretVariable) : [],
        };
        if (enabled) options.CheckKeys();
        return options;
    }

    /// <summary>Catches the usual paste mistakes at start-up instead of at the first customer's payment.</summary>
    private void CheckKeys()
    {
        if (SecretKey is not null && !SecretKey.StartsWith("sk_", StringComparison.Ordinal) && !SecretKey.StartsWith("rk_", StringComparison.Ordinal))
            throw new InvalidOperationException(
                $"{SecretKeyVariable} must be a secret (sk_…) or restricted (rk_…) key; it starts with '{SecretKey[..Math.Min(3, SecretKey.Length)]}'.");
        if (PublishableKey is not null && !PublishableKey.StartsWith("pk_", StringComparison.Ordinal))
            throw new InvalidOperationException($"{PublishableKeyVariable} must be a publishable key (pk_…).");
        if (SecretKey is not null && PublishableKey is not null && IsLive(SecretKey) != IsLive(PublishableKey))
            throw new InvalidOperationException(
                $"{SecretKeyVariable} and {PublishableKeyVariable} are from different modes (one live, one test).");
    }

    /// <summary>
    /// Stripe keys are <c>{sk|rk|pk}_{live|test}_…</c>: the mode is the second segment, so only the
    /// prefix counts (a test key whose random part happens to contain "_live_" is still a test key).
    /// </summary>
    private static bool IsLive(string key) =>
        key.StartsWith("sk_live_", StringComparison.Ordinal) || key.StartsWith("rk_live_", StringComparison.Ordinal)
        || key.StartsWith("pk_live_", StringComparison.Ordinal);
}
