using Microsoft.Extensions.Configuration;
using Payments.Providers.Common;

namespace Payments.Providers.Omise;

/// <summary>Omise (Opn Payments) settings, read by their environment-variable names.</summary>
public sealed record OmiseOptions
{
    public const string SecretKeyVariable = "OMISE_SECRET_KEY";
    public const string PublicKeyVariable = "OMISE_PUBLIC_KEY";
    public const string ApiBaseVariable = "OMISE_API_BASE";
    public const string WebhookSecretVariable = "OMISE_WEBHOOK_SECRET";
    public const string SourceTypeVariable = "OMISE_SOURCE_TYPE";
    public static readonly Uri DefaultApiBase = new("https://api.omise.co/");

    /// <summary>
    /// The API version every request carries (<c>Omise-Version</c>), so the account's default version in
    /// the dashboard never changes the shapes we read: 2019-05-29 is the one with <c>status</c> and
    /// <c>refunded_amount</c> on charges. Events are serialized in the account's version, but we only read
    /// their key and the id of the object they name, then fetch that object in this version.
    /// </summary>
    public const string ApiVersion = "2019-05-29";

    /// <summary>The source charges are created with unless <c>OMISE_SOURCE_TYPE</c> says otherwise (README "Omise").</summary>
    public const string DefaultSourceType = "promptpay";

    /// <summary>On when <c>OMISE_SECRET_KEY</c> is set or <c>PAYMENT_PROVIDER=omise</c>.</summary>
    public bool Enabled { get; init; }

    /// <summary><c>OMISE_SECRET_KEY</c> (<c>skey_…</c>): the user name of HTTP Basic auth, with an empty password.</summary>
    public string? SecretKey { get; init; }

    /// <summary><c>OMISE_PUBLIC_KEY</c> (<c>pkey_…</c>): for a front end's Omise.js; the server only checks its mode.</summary>
    public string? PublicKey { get; init; }

    /// <summary>
    /// The HMAC key of <c>Omise-Signature</c>: <c>OMISE_WEBHOOK_SECRET</c> as the dashboard shows it (base64),
    /// decoded. Null when unset: deliveries are then unverified pointers, and only what the API says is applied.
    /// </summary>
    public byte[]? WebhookKey { get; init; }

    /// <summary><c>OMISE_SOURCE_TYPE</c>: the payment source every charge is created with (<c>promptpay</c> by default).</summary>
    public string SourceType { get; init; } = DefaultSourceType;

    /// <summary><c>OMISE_API_BASE</c>: where the API is; tests point it at a fake on loopback.</summary>
    public Uri ApiBase { get; init; } = DefaultApiBase;

    /// <summary>How far a signed timestamp may be from our clock, either way.</summary>
    public TimeSpan WebhookTolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one HTTP call may take before its outcome counts as unknown.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>First pause before retrying a read; doubles each time, with jitter.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Attempts per read (GET). Creates and refunds are sent once: see <see cref="OmiseClient"/>.</summary>
    public int MaxAttempts { get; init; } = 3;

    public IReadOnlyList<string> MissingSettings { get; init; } = [];

    /// <summary>Live keys are <c>skey_…</c>; test keys <c>skey_test_…</c>.</summary>
    public bool Live => SecretKey is { } key && !IsTestKey(key);

    public static OmiseOptions From(IConfiguration configuration)
    {
        var enabled = configuration.ProviderEnabled(OmiseProvider.ProviderName, SecretKeyVariable);
        var options = new OmiseOptions
        {
            Enabled = enabled,
            SecretKey = configuration.Value(SecretKeyVariable),
            PublicKey = configuration.Value(PublicKeyVariable),
            WebhookKey = WebhookKeyOf(configuration.Value(WebhookSecretVariable)),
            SourceType = SourceTypeOf(configuration.Value(SourceTypeVariable)),
            ApiBase = configuration.ApiBaseUrl(ApiBaseVariable) ?? DefaultApiBase,
            MissingSettings = enabled ? configuration.Missing(SecretKeyVariable) : [],
        };
        if (enabled) options.CheckKeys();
        return options;
    }

    /// <summary>The usual paste mistakes, caught at start-up instead of at the first customer's payment.</summary>
    private void CheckKeys()
    {
        if (SecretKey is not null && !SecretKey.StartsWith("skey_", StringComparison.Ordinal))
            throw new InvalidOperationException($"{SecretKeyVariable} must be a secret key (skey_…); it starts with '{SecretKey[..Math.Min(5, SecretKey.Length)]}'.");
        if (PublicKey is not null && !PublicKey.StartsWith("pkey_", StringComparison.Ordinal))
            throw new InvalidOperationException($"{PublicKeyVariable} must be a public key (pkey_…).");
        if (SecretKey is not null && PublicKey is not null && IsTestKey(SecretKey) != IsTestKey(PublicKey))
            throw new InvalidOperationException($"{SecretKeyVariable} and {PublicKeyVariable} are from different modes (one live, one test).");
    }

    private static bool IsTestKey(string key) =>
        key.StartsWith("skey_test_", StringComparison.Ordinal) || key.StartsWith("pkey_test_", StringComparison.Ordinal);

    /// <summary>The dashboard shows the webhook secret base64-encoded; the HMAC key is the bytes it encodes.</summary>
    private static byte[]? WebhookKeyOf(string? secret)
    {
        if (secret is null) return null;
        var buffer = new byte[secret.Length];
        return Convert.TryFromBase64String(secret, buffer, out var length) && length > 0
            ? buffer[..length]
            : throw new InvalidOperationException($"{WebhookSecretVariable} is not base64: copy it exactly as the Omise dashboard shows it.");
    }

    /// <summary>A source type is a short snake_case word (<c>promptpay</c>, <c>mobile_banking_kbank</c>); it goes into every create.</summary>
    private static string SourceTypeOf(string? type)
    {
        if (type is null) return DefaultSourceType;
        return type.Length <= 64 && type.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')
            ? type
            : throw new InvalidOperationException($"{SourceTypeVariable}='{type}' is not an Omise source type (lower-case letters, digits and '_', e.g. promptpay).");
    }
}
