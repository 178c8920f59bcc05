using Microsoft.Extensions.Configuration;
using Payments.Providers.Common;

namespace Payments.Providers.Dummy;

/// <summary>Settings of the development provider.</summary>
public sealed class DummyOptions
{
    /// <summary>
    /// Published in the README on purpose: the dummy exists so a newcomer can pay with curl.
    /// It only ever signs dummy events, which can only settle dummy payments; switch the dummy off
    /// (<c>DUMMY_PROVIDER_ENABLED=false</c>) wherever real money is taken.
    /// </summary>
    public const string DevelopmentSecret = "dummy_dev_webhook_secret";

    /// <summary><c>DUMMY_PROVIDER_ENABLED</c> (default true).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>PAYMENT_WEBHOOK_SECRET</c>: HMAC key of the <c>Dummy-Signature</c> header.</summary>
    public string WebhookSecret { get; init; } = DevelopmentSecret;

    /// <summary>How old a signed timestamp may be (seed 004 and Stripe use 300 s).</summary>
    public TimeSpan Tolerance { get; init; } = TimeSpan.FromSeconds(300);

    public static DummyOptions From(IConfiguration configuration) => new()
    {
        Enabled = configuration.Flag("DUMMY_PROVIDER_ENABLED", true),
        WebhookSecret = configuration.Value("PAYMENT_WEBHOOK_SECRET") ?? DevelopmentSecret,
    };
}
