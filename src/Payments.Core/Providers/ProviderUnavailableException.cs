using Payments.Core.Errors;

namespace Payments.Core.Providers;

/// <summary>
/// The provider could not be reached, timed out, or answered 5xx after retries: we do not know
/// what happened. Never retried blindly for charges; the payment waits for a webhook or verify.
/// </summary>
public sealed class ProviderUnavailableException(string provider, string detail, Exception? inner = null)
    : PaymentsException(ErrorKind.ProviderUnavailable, $"{provider}: {detail}", inner)
{
    public string Provider { get; } = provider;
}

/// <summary>The provider answered with an error that is not a decline (bad request, auth failure).</summary>
public sealed class ProviderErrorException(string provider, string detail, string? providerCode = null, Exception? inner = null)
    : PaymentsException(ErrorKind.ProviderError, $"{provider}: {detail}", inner)
{
    public string Provider { get; } = provider;
    public string? ProviderCode { get; } = providerCode;
}
