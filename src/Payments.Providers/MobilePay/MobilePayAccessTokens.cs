using Payments.Providers.Common;

namespace Payments.Providers.MobilePay;

/// <summary>
/// The access token from <c>POST /accesstoken/get</c>. It lives an hour in the test environment and a day
/// in production, and Vipps asks integrations to reuse it rather than fetch one per call (see
/// <see cref="AccessTokenCache"/> for the rules).
/// </summary>
public sealed class MobilePayAccessTokens(TimeProvider clock) : AccessTokenCache(clock);
