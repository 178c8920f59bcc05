using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Payments.Core.Providers;

namespace Payments.Providers.PayPal;

/// <summary>
/// Where the certificate named by a delivery's PAYPAL-CERT-URL comes from. Production fetches it over
/// HTTPS; tests supply known certificates (PayPal's own test vector, the fake server's). Callers
/// have already checked the URL is https on a paypal.com host.
/// </summary>
public interface IPayPalCertificateSource
{
    /// <summary>The certificate; <see cref="ProviderUnavailableException"/> when it cannot be fetched.</summary>
    Task<X509Certificate2> GetAsync(Uri certUrl, CancellationToken cancellationToken);
}

/// <summary>
/// Fetches PEM certificates from PayPal over HTTPS (so TLS vouches that paypal.com served them) and
/// keeps them: PayPal signs with a handful of long-lived certificates, and each URL names one.
/// </summary>
public sealed class HttpsPayPalCertificateSource(HttpClient http) : IPayPalCertificateSource
{
    /// <summary>Bounds memory if many distinct (paypal.com) URLs are presented; real traffic uses a few.</summary>
    private const int MaxCached = 32;

    private readonly ConcurrentDictionary<string, X509Certificate2> _cache = new(StringComparer.Ordinal);

    public async Task<X509Certificate2> GetAsync(Uri certUrl, CancellationToken cancellationToken)
    {
        if (certUrl.Scheme != Uri.UriSchemeHttps || !PayPalSignature.IsPayPalHost(certUrl.IdnHost))
            throw new ArgumentException($"Refusing to fetch a certificate from {certUrl}.", nameof(certUrl));
        if (_cache.TryGetValue(certUrl.AbsoluteUri, out var cached)) return cached;

        string pem;
        try
        {
            pem = await http.GetStringAsync(certUrl, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderUnavailableException(PayPalProvider.ProviderName, $"cannot fetch the webhook certificate {certUrl}: {e.Message}", e);
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(pem);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new ProviderErrorException(PayPalProvider.ProviderName, $"{certUrl} did not serve a PEM certificate.", inner: e);
        }
        if (_cache.Count < MaxCached) _cache.TryAdd(certUrl.AbsoluteUri, certificate);
        return certificate;
    }
}
