using System.Diagnostics;
using Microsoft.Extensions.Http;
using Payments.Providers;

namespace Payments.Server.Hosting;

/// <summary>
/// Times every HTTP call a provider adapter makes (<c>payments_provider_call_duration_seconds</c>).
/// Added to every HttpClient the factory builds; a client belongs to the provider whose name its own
/// name contains ("stripe", "PayPalClient", "IPayPalCertificateSource"), so a new provider folder is
/// timed without registering anything. Clients of no provider (the outbox, "self") pass untouched.
/// </summary>
internal sealed class ProviderCallTimerFilter(IServiceProvider services, PaymentsMetrics metrics) : IHttpMessageHandlerBuilderFilter
{
    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        // Innermost: the time on the wire, per attempt (retries above it are separate calls).
        builder.AdditionalHandlers.Add(new ProviderCallTimer(builder.Name ?? "", services, metrics));
    };
}

internal sealed class ProviderCallTimer(string clientName, IServiceProvider services, PaymentsMetrics metrics) : DelegatingHandler
{
    private string? _provider;
    private bool _resolved;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (Provider() is not { } provider) return await base.SendAsync(request, ct);
        var start = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, ct);
            metrics.ProviderCall(provider, (int)response.StatusCode, Stopwatch.GetElapsedTime(start));
            return response;
        }
        catch
        {
            metrics.ProviderCall(provider, null, Stopwatch.GetElapsedTime(start));
            throw;
        }
    }

    // Resolved at the first call, not when the handler is built: adapters build their clients while the
    // registry is itself being built.
    private string? Provider()
    {
        if (_resolved) return _provider;
        _provider = services.GetRequiredService<ProviderRegistry>().Known
            .Where(name => clientName.Contains(name, StringComparison.OrdinalIgnoreCase)).MaxBy(name => name.Length);
        _resolved = true;
        return _provider;
    }
}
