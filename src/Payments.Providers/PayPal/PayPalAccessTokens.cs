using Payments.Providers.Common;

namespace Payments.Providers.PayPal;

/// <summary>
/// PayPal's OAuth2 client-credentials token. PayPal's tokens live for hours and PayPal asks integrations
/// to reuse them (see <see cref="AccessTokenCache"/> for the rules).
/// </summary>
public sealed class PayPalAccessTokens(TimeProvider clock) : AccessTokenCache(clock);
