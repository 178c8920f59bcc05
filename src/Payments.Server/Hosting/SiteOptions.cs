using Payments.Providers.Common;

namespace Payments.Server.Hosting;

/// <summary>Where this service is reachable and where customers land after paying (seed 004 names).</summary>
public sealed class SiteOptions
{
    /// <summary><c>SITE_BASE_URL</c>: public base URL; when unset, taken from each request.</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary><c>PAYMENT_SUCCESS_PATH</c> (default /payments/thanks).</summary>
    public string SuccessPath { get; init; } = "/payments/thanks";

    /// <summary><c>PAYMENT_CANCEL_PATH</c> (default /payments/cancel).</summary>
    public string CancelPath { get; init; } = "/payments/cancel";

    /// <summary><c>CHECKOUT_EXPIRES_MINUTES</c>: how long a hosted checkout stays open (default 60).</summary>
    public TimeSpan CheckoutLifetime { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>
    /// <c>ALLOWED_REDIRECT_HOSTS</c>: hosts a create-intent's own <c>success_url</c>/<c>cancel_url</c> may point
    /// at (comma-separated; <c>shop.example</c>, <c>shop.example:8443</c>, or <c>*.shop.example</c> for its
    /// subdomains). Empty: only the configured pages. Without a list, a caller could send customers who
    /// just paid to a look-alike site with our service's name on the way.
    /// </summary>
    public IReadOnlyList<string> AllowedRedirectHosts { get; init; } = [];

    public static SiteOptions From(IConfiguration configuration)
    {
        Uri? baseUrl = null;
        if (configuration.Value("SITE_BASE_URL") is { } raw &&
            (!Uri.TryCreate(raw.TrimEnd('/') + "/", UriKind.Absolute, out baseUrl) || baseUrl.Scheme is not ("http" or "https")))
            throw new InvalidOperationException($"SITE_BASE_URL='{raw}' is not an absolute http(s) URL.");
        var minutes = configuration.Value("CHECKOUT_EXPIRES_MINUTES");
        return new SiteOptions
        {
            BaseUrl = baseUrl,
            SuccessPath = configuration.Value("PAYMENT_SUCCESS_PATH") ?? "/payments/thanks",
            CancelPath = configuration.Value("PAYMENT_CANCEL_PATH") ?? "/payments/cancel",
            AllowedRedirectHosts = RedirectHosts.Parse(configuration.Value("ALLOWED_REDIRECT_HOSTS")),
            CheckoutLifetime = minutes is null
                ? TimeSpan.FromMinutes(60)
                : int.TryParse(minutes, out var m) && m is >= 30 and <= 1440
                    ? TimeSpan.FromMinutes(m)
                    // Stripe accepts 30 min to 24 h; one rule for every provider keeps behaviour predictable.
                    : throw new InvalidOperationException("CHECKOUT_EXPIRES_MINUTES must be a whole number from 30 to 1440."),
        };
    }

    /// <summary>The public base for links we hand out: configured, or the current request's.</summary>
    public Uri BaseFor(HttpRequest request) => BaseUrl ?? new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/");

    public Uri Absolute(HttpRequest request, string pathAndQuery) => new(BaseFor(request), pathAndQuery.TrimStart('/'));
}
