namespace Payments.Core.Providers;

/// <summary>
/// What the service needs to know about a provider before calling it: its name, how people see it,
/// whether it is switched on and fully configured, whether it moves real money, and which provider
/// ids are its own. Configuration, not operations: each provider folder builds its descriptor from
/// its options, so no other part of the service keeps a table of provider names.
/// </summary>
public sealed record ProviderDescriptor
{
    /// <summary>Lower-case name used in routes, configuration and the database: "stripe", "dummy".</summary>
    public required string Name { get; init; }

    /// <summary>The company that takes the money, as a receipt names it: "Stripe", "PayPal".</summary>
    public required string DisplayName { get; init; }

    /// <summary>The provider as a payment option on the storefront ("Card (Stripe)"); defaults to <see cref="DisplayName"/>.</summary>
    public string? CheckoutLabel { get; init; }

    /// <summary>True when the provider's credentials are configured (or it was switched on explicitly).</summary>
    public bool IsEnabled { get; init; }

    /// <summary>
    /// Environment variables this provider needs and that are not set, e.g. <c>STRIPE_WEBHOOK_SECRET</c>.
    /// Start-up refuses to run an enabled provider while this is not empty, and names them.
    /// </summary>
    public IReadOnlyList<string> MissingSettings { get; init; } = [];

    /// <summary>
    /// True when the provider is configured to move real money (live keys). The development provider,
    /// which lets anyone mark a payment paid, is never allowed beside one.
    /// </summary>
    public bool IsLive { get; init; }

    /// <summary>Recognises this provider's payment ids by shape (a prefix, a length); false for others'.</summary>
    public required Func<string, bool> OwnsPaymentId { get; init; }

    /// <summary>
    /// The provider that holds this provider's money and sends its webhooks, when that is another one:
    /// a wallet (Google Pay, Apple Pay) hands its token to a gateway (<c>stripe</c>), so the gateway's
    /// webhooks settle the wallet's payments while the payment keeps the wallet's name. Null for a
    /// provider that does both itself.
    /// </summary>
    public string? Gateway { get; init; }

    /// <summary>The storefront's label for this provider.</summary>
    public string Choice => CheckoutLabel ?? DisplayName;
}
